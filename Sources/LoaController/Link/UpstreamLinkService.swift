import Foundation
import HTTPTypes
import LoaAudio
import LoaSchedule
import Logging
import Synchronization

/// The downstream's side of the link: dials its upstream every `poll_seconds`, takes the offers
/// addressed to its areas into its own dispatch path (normal → inbox, priority → next program,
/// emergency → at once), acknowledges them and reports what became of them. A failure leaves
/// everything as it was (the controller keeps serving its gateways) and the next try waits by
/// `LinkBackoff`. The decisions are the Link folder's pure types; this type sequences them.
public final class UpstreamLinkService: Sendable {
    /// The local user recorded as the sender of what comes from above (created on first use).
    public static let senderUsername = "upstream"
    static let pageSize = 50
    /// An emergency from above starts this long after it is taken: its audio is new to this
    /// controller, so no gateway has it cached, and a gateway skips an announcement whose audio
    /// it lacks at the start instant (it fetches on receipt; over loopback that is milliseconds,
    /// over 4G a second or two for a speech bulletin).
    static let emergencyLead: TimeInterval = 3
    /// How often the period report is pushed up (and once after each start).
    static let reportEvery: TimeInterval = 600

    let upstream: LinkSettings.Upstream
    let identity: String
    let link: any InformationSourceLink
    let services: APIServices
    let random: @Sendable () -> Double
    let logger: Logger
    private let lastReport = Mutex<Date?>(nil)

    /// The receipts and cursor are kept per upstream URL.
    var key: String { upstream.url.absoluteString }
    var store: any ControllerStore { services.store }
    var monitor: LinkMonitor { services.linkMonitor }
    var origin: AuditOrigin { AuditOrigin(actor: Self.senderUsername, address: upstream.url.host) }

    public init(upstream: LinkSettings.Upstream, identity: String, link: any InformationSourceLink, services: APIServices,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger) {
        self.upstream = upstream
        self.identity = identity
        self.link = link
        self.services = services
        self.random = random
        var logger = logger
        logger[metadataKey: "upstream.url"] = "\(upstream.url.absoluteString)"
        self.logger = logger
    }

    /// Syncs until cancelled: every `poll_seconds` after a success, by the backoff after a failure.
    public func run() async {
        var backoff = LinkBackoff(base: 1, cap: TimeInterval(upstream.backoffMaxSeconds))
        while !Task.isCancelled {
            let wait: TimeInterval
            do {
                try await syncOnce()
                backoff.succeeded()
                monitor.updateUpstream {
                    $0.state = "connected"
                    $0.lastSuccess = self.services.now()
                    $0.failures = 0
                    $0.backoffSeconds = 0
                }
                wait = TimeInterval(upstream.pollSeconds)
            } catch {
                let failure = error as? LinkError
                let delay = backoff.failed(random: random())
                let message = failure?.description ?? "\(error)"
                monitor.updateUpstream {
                    $0.state = "retrying"
                    $0.lastError = message
                    $0.lastErrorCode = failure?.code ?? "local"
                    $0.lastErrorAt = self.services.now()
                    $0.failures = backoff.failures
                    $0.backoffSeconds = delay
                    $0.errorsTotal[failure?.code ?? "local", default: 0] += 1
                }
                logger.error("upstream link sync failed", metadata: [
                    "error": "\(message)", "link.failures": "\(backoff.failures)", "link.retry_seconds": "\(String(format: "%.1f", delay))"])
                wait = delay
            }
            try? await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        }
    }

    /// One round: check the map, pull and take every page of offers, acknowledge, report.
    public func syncOnce() async throws {
        let local = Set(try await store.allAreas().map(\.id))
        if let error = upstream.mapping.check(localAreas: local) { throw error }
        let chain = LinkChain.outgoing(own: identity, below: monitor.chainsBelow)
        var cursor = try await store.linkCursor(upstream: key)
        for _ in 0..<20 {
            let page = try await link.offers(after: cursor, chain: chain)
            cursor = try await take(page, cursor: cursor, chain: chain)
            monitor.updateUpstream { $0.cursor = cursor }
            if page.offers.count < Self.pageSize { break }
        }
        try await link.report(try await statusReport(), chain: chain)
        if reportDue() {
            for report in try await periodReports() { try await link.reportPeriod(report, chain: chain) }
            lastReport.withLock { $0 = services.now() }
        }
    }

    /// After a start, then every `reportEvery`: the period report is not worth sending each poll.
    func reportDue() -> Bool {
        let now = services.now()
        return lastReport.withLock { last in last.map { now.timeIntervalSince($0) >= Self.reportEvery } ?? true }
    }

    /// This month's period report (`GET /api/v1/reports/period`) of each local area of the map,
    /// addressed by the upstream's area id, as the body of `POST /api/v1/link/report`.
    func periodReports() async throws -> [Data] {
        let zone = services.settings.timeZone
        guard let today = LocalDate.today(in: zone, now: services.now()),
              let period = PeriodReport.Period(from: LocalDate(year: today.year, month: today.month, day: 1), to: today, timeZone: zone) else { return [] }
        let handlers = APIHandlers(services: services)
        var bodies: [Data] = []
        for (upstreamArea, localArea) in upstream.mapping.entries.sorted(by: { $0.key < $1.key }) {
            let report = try await handlers.buildReport(areaID: localArea, period: period)
            let json = try JSONDecoder().decode(JSONValue.self, from: try APIJSON.encoder.encode(report))
            bodies.append(try APIJSON.encoder.encode(LinkPeriodReportInput(area: upstreamArea, from: report.from, to: report.to, report: json)))
        }
        return bodies
    }

    /// Takes one page: every offer checked before anything is saved (a malformed page saves
    /// nothing), then each new one stored with its receipt in order; acknowledges; the new cursor.
    func take(_ page: LinkOfferPage, cursor: Int64, chain: [String]) async throws -> Int64 {
        let now = services.now()
        var verdicts: [Int64: OfferVerdict] = [:]
        for offer in page.offers {
            verdicts[offer.id] = try OfferVerdict.decide(offer, mapping: upstream.mapping, now: now, upstream: link.upstreamDescription).get()
        }
        let received = try await store.receivedOffers(upstream: key, among: page.offers.map(\.id))
        let plan = OfferLedger.plan(page.offers, cursor: cursor, received: received)
        var done = Set(plan.acknowledgeOnly)
        for offer in plan.take {
            switch verdicts[offer.id] {
            case .take(let area, let kind):
                try await send(offer, to: area, as: kind)
            case .refuse(let reason):
                try await refuse(offer, reason: reason)
            case nil:
                continue
            }
            done.insert(offer.id)
            monitor.updateUpstream { $0.offersTaken += 1 }
        }
        try await link.acknowledge(done.sorted(), chain: chain)
        let next = OfferLedger.advance(cursor: cursor, page: page.offers, done: done)
        try await store.advanceLinkCursor(upstream: key, to: next)
        return next
    }

    private func send(_ offer: LinkOffer, to area: String, as kind: Dispatch.Class) async throws {
        let audio = try await link.audio(for: offer)
        let sha256 = ContentStore.sha256Hex(of: audio)
        guard sha256 == offer.bulletin.sha256 else {
            throw LinkError.audioMismatch(offer: offer.id, expected: offer.bulletin.sha256, got: sha256)
        }
        let bulletin = try await approvedBulletin(offer, audio)
        try await ensureSender()
        let dispatch = Dispatch(bulletinSHA256: bulletin.sha256, dispatchClass: kind, sender: Self.senderUsername, senderAreaID: nil,
                                note: offer.note, repeatCount: offer.repeat)
        do {
            let sent = try await APIHandlers(services: services).sendDown(dispatch, bulletin: bulletin, areas: [area], named: nil, origin: origin,
                                                                        logger: logger, emergencyLead: Self.emergencyLead) { dispatch in
                try await self.store.receiveOffer(upstream: self.key, offerID: offer.id, dispatch: dispatch, reason: nil,
                                                  senderLevel: offer.senderLevel, origin: self.origin)
            }
            logger.notice("offer from the upstream sent down", metadata: [
                "link.offer": "\(offer.id)", "dispatch.class": "\(kind.rawValue)", "area.id": "\(area)",
                "dispatch.id": "\(sent.map { "\($0.id)" } ?? "already taken")", "bulletin.sha256": "\(bulletin.sha256)"])
        } catch let error as APIError where error.status == .unprocessableContent {
            // The local tree cannot take it (no commune below the mapped area): refused, told upstream.
            try await refuse(offer, reason: error.message)
        }
    }

    private func refuse(_ offer: LinkOffer, reason: String) async throws {
        try await ensureSender()
        _ = try await store.receiveOffer(upstream: key, offerID: offer.id, dispatch: nil, reason: reason, senderLevel: offer.senderLevel,
                                         origin: origin)
        logger.warning("offer from the upstream refused", metadata: ["link.offer": "\(offer.id)", "reason": "\(reason)"])
    }

    /// The offer's audio as an approved local bulletin: stored once (content-addressed), already
    /// approved at its level, so approved here too.
    private func approvedBulletin(_ offer: LinkOffer, _ audio: Data) async throws -> Bulletin {
        if let existing = try? await store.bulletin(offer.bulletin.sha256) {
            if existing.state == .approved { return existing }
            return try await store.transitionBulletin(existing.sha256, to: .approved, origin: origin)
        }
        let info: MP3StreamInfo
        do { info = try MP3Scanner.scan(audio).info } catch {
            throw LinkError.garbage(upstream: link.upstreamDescription, what: "offer \(offer.id): the audio is not MP3 (\(error))")
        }
        try await ensureSender()
        let stored = try services.content.put(audio)
        _ = try await store.createBulletin(
            NewBulletin(sha256: stored.sha256, title: offer.bulletin.title, durationMs: Int((info.duration * 1000).rounded()),
                        loudnessLUFS: -16, byteSize: stored.byteSize), origin: origin)
        return try await store.transitionBulletin(stored.sha256, to: .approved, origin: origin)
    }

    private func ensureSender() async throws {
        do {
            _ = try await store.user(Self.senderUsername)
        } catch .notFound {
            // Nobody logs in as it: the password is random and never shown.
            _ = try await store.createUser(username: Self.senderUsername, password: ControllerState.generatePassword() + ControllerState.generatePassword(),
                                           role: .operator, areaID: nil, origin: .controller)
        }
    }

    /// What became of the latest offers taken, for the upstream's sender view.
    func statusReport() async throws -> LinkStatusReport {
        var offers: [LinkStatusReport.Offer] = []
        let handlers = APIHandlers(services: services)
        for receipt in try await store.linkReceipts(upstream: key, limit: 200) {
            guard receipt.taken, let id = receipt.dispatchID else {
                offers.append(.init(id: receipt.offerID, state: "refused", reason: receipt.reason))
                continue
            }
            guard let dispatch = try? await store.dispatch(id) else { continue }
            let shown = try await handlers.apiDispatch(dispatch)
            let first = shown.targets.first
            offers.append(.init(id: receipt.offerID, state: first?.state ?? "delivered", reason: first?.reason,
                                plays: shown.targets.flatMap { $0.plays.map { .init(gatewayId: $0.gatewayId, kind: $0.kind, at: $0.at) } }))
        }
        return LinkStatusReport(offers: offers)
    }
}
