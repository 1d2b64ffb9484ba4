import Foundation
import HTTPTypes
import Hummingbird
import LoaSchedule

/// Loa's own exchange with the levels below (docs/openapi.yaml, tag `link`): a downstream
/// controller authenticates with its link key (`Authorization: Bearer KEY`, `Loa-Link: NAME`),
/// says who is below it (`Loa-Link-Chain`), pulls the offers addressed to the areas it serves,
/// fetches their audio, acknowledges them and reports what became of them.
extension APIHandlers {
    static let linkNameHeader = HTTPField.Name("Loa-Link")!
    static let linkChainHeader = HTTPField.Name("Loa-Link-Chain")!

    /// `GET /api/v1/link/offers?after=N&limit=M`.
    func linkOffers(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let (downstream, areas, chain) = try await linkCaller(request, context)
        let after = try query(request, "after").map { text throws(APIError) -> Int64 in
            guard let value = Int64(text), value >= 0 else { throw .validation("'after' is an offer id, 0 or more") }
            return value
        } ?? 0
        let limit = try query(request, "limit").map { text throws(APIError) -> Int in
            guard let value = Int(text), (1...200).contains(value) else { throw .validation("'limit' must be 1 to 200") }
            return value
        } ?? 50
        var offers: [LinkOffer] = []
        for offered in try await store.offeredTargets(areas: areas, after: after, limit: limit) {
            offers.append(try await linkOffer(offered))
        }
        services.linkMonitor.downstreamPulled(downstream.name, chain: chain, cursor: after, at: services.now())
        return try APIResponse.json(LinkOfferPage(upstream: services.link?.identity ?? "", offers: offers))
    }

    /// `GET /api/v1/link/audio/{sha256}`: only the audio of an offer to this downstream.
    func linkAudio(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let (downstream, areas, _) = try await linkCaller(request, context)
        let sha256 = try parameter("sha256", context)
        guard Bulletin.isValidSHA256(sha256), try await store.isOfferedAudio(sha256, areas: areas) else {
            throw APIError.notFound("no offer to '\(downstream.name)' has the audio '\(Identifier.escaped(String(sha256.prefix(64))))'")
        }
        guard services.content.contains(sha256) else {
            throw APIError.internalError("the audio \(sha256.prefix(8))… is missing from the content store; restore it from backup")
        }
        let data = try Data(contentsOf: services.content.url(for: sha256))
        return APIResponse.bytes(data, contentType: "audio/mpeg")
    }

    /// `POST /api/v1/link/acks`: idempotent; answers the ids recorded (offers to this downstream).
    func linkAcks(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let (downstream, areas, _) = try await linkCaller(request, context)
        let input = try await APIJSON.decode(LinkAcksInput.self, from: request)
        guard input.offers.count <= 1_000 else { throw APIError.validation("at most 1000 offers per acknowledgement") }
        let recorded = try await store.acknowledgeOffers(input.offers, link: downstream.name, areas: areas)
        return try APIResponse.json(LinkAcks(offers: recorded))
    }

    /// `POST /api/v1/link/status`: what became of offers downstream, shown in the sender's view.
    func linkStatus(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let (downstream, areas, _) = try await linkCaller(request, context)
        let input = try await APIJSON.decode(LinkStatusInput.self, from: request, limit: 4 << 20)
        guard input.offers.count <= 1_000 else { throw APIError.validation("at most 1000 offers per status report") }
        for offer in input.offers {
            guard (1...32).contains(offer.state.count), offer.state.allSatisfy({ $0.isLetter || $0 == "-" }),
                  offer.reason.map({ Identifier.textProblem($0, field: "reason", maxCharacters: 500) == nil }) ?? true, offer.plays.count <= 1_000,
                  offer.plays.allSatisfy({ Identifier.isValid($0.gatewayId, .gateway) && APIJSON.parseTime($0.at) != nil && (1...32).contains($0.kind.count) })
            else { throw APIError.validation("offer \(offer.id): a state is 1–32 letters, a reason at most 500 characters, plays name gateways with RFC 3339 times") }
        }
        let recorded = try await store.recordOfferStatus(input.offers.map {
            LinkStatusReport.Offer(id: $0.id, state: $0.state, reason: $0.reason, plays: $0.plays)
        }, link: downstream.name, areas: areas)
        return try APIResponse.json(LinkAcks(offers: recorded))
    }

    /// `POST /api/v1/link/report`: a downstream's period report of an area it serves, kept (the
    /// latest per area and period start) for `GET /api/v1/link/reports`.
    func linkReport(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let (downstream, areas, _) = try await linkCaller(request, context)
        let input = try await APIJSON.decode(LinkPeriodReportInput.self, from: request, limit: 8 << 20)
        guard areas.contains(input.area) else {
            throw APIError.forbidden("'\(Identifier.escaped(input.area))' is not an area '\(downstream.name)' serves")
        }
        guard let from = LocalDate(input.from), from.isValid, let to = LocalDate(input.to), to.isValid, from <= to else {
            throw APIError.validation("'from' and 'to' are local days YYYY-MM-DD, 'from' not after 'to'")
        }
        guard case .object = input.report else { throw APIError.validation("'report' is the JSON object of GET /api/v1/reports/period") }
        let text = String(decoding: try APIJSON.encoder.encode(input.report), as: UTF8.self)
        try await store.storePeriodReport(LinkPeriodReport(link: downstream.name, areaID: input.area, from: from.description, to: to.description,
                                                           report: text, receivedAt: services.now()))
        context.logger.info("period report received", metadata: ["link.name": "\(downstream.name)", "area.id": "\(input.area)",
                                                                 "period": "\(from)…\(to)"])
        return APIResponse.noContent()
    }

    /// `GET /api/v1/link/reports`: the period reports received from downstreams, in the caller's scope.
    func linkReports(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let filter = try await areaFilter(request, caller)
        var below: Set<String>?
        if let filter { below = Set(try await store.subtree(of: filter).map(\.id)) }
        let items = try await store.periodReports().filter { caller.scope.canSee($0.areaID) && (below?.contains($0.areaID) ?? true) }.map {
            APILinkPeriodReport(downstream: $0.link, area: $0.areaID, from: $0.from, to: $0.to, receivedAt: APIJSON.time($0.receivedAt),
                                report: (try? JSONDecoder().decode(JSONValue.self, from: Data($0.report.utf8))) ?? .null)
        }
        return try APIResponse.json(try page(request).apply(items))
    }

    /// `GET /api/v1/link`: this controller's links and their state (the console and `loactl link`).
    func linkState(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        return try APIResponse.json(APILinkState(services.linkMonitor))
    }

    // MARK: Helpers

    /// The downstream the request's key and name identify, the areas it serves (subtrees), and
    /// its chain; 401 for a wrong key or name (logged), 409 when this controller is in the chain.
    private func linkCaller(_ request: Request, _ context: APIRequestContext) async throws
        -> (LinkSettings.Downstream, Set<String>, [String]) {
        let name = request.headers[Self.linkNameHeader] ?? ""
        let header = request.headers[.authorization] ?? ""
        let key = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : ""
        // No name or no key is no guess at a key: 401 at once, whatever the throttle says.
        guard !name.isEmpty, !key.isEmpty else {
            throw APIError.unauthorized("this link needs a downstream name in Loa-Link and its key as a bearer token")
        }
        // As logins: five wrong keys per name and address in five minutes lock that pair out (429).
        let attempt = LoginThrottle.key(username: "link:" + String(name.prefix(64)), address: context.remoteAddress)
        let now = services.now()
        if let wait = services.throttle.withLock({ $0.retryAfter(attempt, now: now) }) { throw APIError.rateLimited(retryAfter: wait) }
        guard let link = services.link, let downstream = link.downstream(named: name, key: key) else {
            services.throttle.withLock { $0.recordFailure(attempt, now: now) }
            context.logger.warning("link key refused", metadata: [
                "link.name": "\(Identifier.escaped(String(name.prefix(64))))", "address": "\(context.remoteAddress ?? "?")"])
            throw APIError.unauthorized("this link needs a downstream name in Loa-Link and its key as a bearer token")
        }
        services.throttle.withLock { $0.recordSuccess(attempt) }
        guard let chain = LinkChain.parse(request.headers[Self.linkChainHeader]) else {
            throw APIError.badRequest("Loa-Link-Chain lists at most \(LinkChain.limit) controller identities, comma-separated")
        }
        if LinkChain.isCycle(chain, own: link.identity) {
            services.linkMonitor.downstreamPulled(downstream.name, chain: chain, cursor: nil, at: services.now(), refused: true)
            context.logger.error("link cycle refused", metadata: ["link.name": "\(downstream.name)", "link.chain": "\(chain.joined(separator: ","))"])
            throw APIError.conflict("link cycle: this controller ('\(link.identity)') is already below '\(downstream.name)' (chain \(chain.joined(separator: " → ")))",
                                    code: "link_cycle")
        }
        var areas = Set<String>()
        for area in downstream.areas { areas.formUnion(((try? await store.subtree(of: area)) ?? []).map(\.id)) }
        return (downstream, areas, chain)
    }

    private func linkOffer(_ offered: OfferedTarget) async throws -> LinkOffer {
        let dispatch = offered.dispatch
        let bulletin = try await store.bulletin(dispatch.bulletinSHA256)
        return LinkOffer(id: offered.target.id, class: dispatch.dispatchClass.rawValue, area: offered.target.areaID,
                         bulletin: .init(sha256: bulletin.sha256, title: bulletin.title, durationMs: bulletin.durationMs,
                                         url: "/api/v1/link/audio/\(bulletin.sha256)"),
                         note: dispatch.note, repeat: dispatch.repeatCount, sender: dispatch.sender,
                         senderLevel: try await apiDispatch(dispatch, plays: false).senderLevel, sentAt: APIJSON.time(dispatch.createdAt))
    }
}
