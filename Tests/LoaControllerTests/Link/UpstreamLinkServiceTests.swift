import Foundation
import Synchronization
import Testing
@testable import LoaController

/// The downstream's link service over the real store, content store and dispatch path, with the
/// level above played in process by a scripted `InformationSourceLink` (the exchange over HTTP
/// is tested with real controllers in UpstreamLinkScenarioTests): an acknowledgement lost and the
/// offer offered again takes it once; a page whose second audio does not match keeps the first,
/// saves nothing of the second, and takes it on the next sync.
@Suite struct UpstreamLinkServiceTests {
    /// Offers every one it holds whatever the cursor (an upstream that lost the acknowledgements).
    final class ScriptedUpstream: InformationSourceLink {
        struct State {
            var offers: [LinkOffer] = []
            var audio: [String: Data] = [:]
            var acknowledged: [Int64] = []
            var failAcks = false
            var reports: [LinkStatusReport] = []
            var periodReports = 0
        }
        let state = Mutex(State())
        var upstreamDescription: String { "scripted" }

        func offers(after cursor: Int64, chain: [String]) async throws(LinkError) -> LinkOfferPage {
            LinkOfferPage(upstream: "trung-uong", offers: state.withLock { $0.offers })
        }
        func audio(for offer: LinkOffer) async throws(LinkError) -> Data {
            guard let data = state.withLock({ $0.audio[offer.bulletin.sha256] }) else { throw .refused(upstream: "scripted", status: 404, message: "no audio") }
            return data
        }
        func acknowledge(_ offerIDs: [Int64], chain: [String]) async throws(LinkError) {
            if state.withLock({ $0.failAcks }) { throw .unreachable(upstream: "scripted", reason: "connection reset") }
            state.withLock { $0.acknowledged += offerIDs }
        }
        func report(_ status: LinkStatusReport, chain: [String]) async throws(LinkError) { state.withLock { $0.reports.append(status) } }
        func reportPeriod(_ report: Data, chain: [String]) async throws(LinkError) { state.withLock { $0.periodReports += 1 } }
    }

    static func service(_ h: APIHarness, _ link: ScriptedUpstream) -> UpstreamLinkService {
        let upstream = LinkSettings.Upstream(url: URL(string: "http://127.0.0.1:1")!, name: "ha-tinh", key: "0123456789abcdef",
                                             pollSeconds: 1, backoffMaxSeconds: 2, mapping: AreaMapping(["c-xa-tan-lap": "xa-tan-lap"]))
        return UpstreamLinkService(upstream: upstream, identity: "tinh", link: link, services: h.services, random: { 0.5 }, logger: TestLog.quiet)
    }

    static func offer(_ id: Int64, _ bulletin: Bulletin, class kind: String = "normal", now: Date) -> LinkOffer {
        LinkOffer(id: id, class: kind, area: "c-xa-tan-lap",
                  bulletin: .init(sha256: bulletin.sha256, title: "Tin từ trên", durationMs: bulletin.durationMs, url: "/api/v1/link/audio/\(bulletin.sha256)"),
                  note: "Phát ngay", repeat: 1, sender: "admin", senderLevel: "central", sentAt: APIJSON.time(now))
    }

    /// Runs `body` on a fresh harness and always stops it (its event loops, its directory).
    static func withHarness(_ body: (APIHarness) async throws -> Void) async throws {
        let h = try await APIHarness.start()
        do { try await body(h) } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test func anOfferWhoseAcknowledgementWasLostIsTakenOnce() async throws { try await Self.withHarness { h in
        let bulletin = try await h.bulletin(seconds: 1, frequency: 550)
        let link = ScriptedUpstream()
        link.state.withLock {
            $0.offers = [Self.offer(1, bulletin, now: h.clock.now)]
            $0.audio[bulletin.sha256] = try? h.content.read(bulletin.sha256)
            $0.failAcks = true
        }
        let service = Self.service(h, link)
        await #expect(throws: LinkError.self) { try await service.syncOnce() }
        #expect(try await h.database.allDispatches().count == 1, "taken before the acknowledgement failed")
        link.state.withLock { $0.failAcks = false }
        try await service.syncOnce()
        try await service.syncOnce()
        let dispatches = try await h.database.allDispatches()
        #expect(dispatches.count == 1 && dispatches.first?.sender == UpstreamLinkService.senderUsername, "\(dispatches)")
        #expect(dispatches.first?.targets.map(\.areaID) == ["xa-tan-lap"] && dispatches.first?.note == "Phát ngay")
        #expect(try await h.database.linkSenderLevel(dispatch: dispatches[0].id) == "central")
        let acknowledged = link.state.withLock { $0.acknowledged }
        #expect(acknowledged == [1, 1], "acknowledged again, not taken again: \(acknowledged)")
        let last = link.state.withLock { $0.reports.last }
        #expect(last?.offers.map(\.id) == [1] && last?.offers.first?.state == "delivered", "\(String(describing: last))")
        #expect(link.state.withLock { $0.periodReports } == 1, "the period report goes up once after a start, then every 10 minutes")
    } }

    @Test func audioThatDoesNotMatchSavesNothingOfItsOfferAndTheNextSyncTakesIt() async throws { try await Self.withHarness { h in
        let first = try await h.bulletin(seconds: 1, frequency: 550)
        let second = try await h.bulletin(seconds: 1, frequency: 770)
        let link = ScriptedUpstream()
        link.state.withLock {
            $0.offers = [Self.offer(1, first, now: h.clock.now), Self.offer(2, second, class: "priority", now: h.clock.now)]
            $0.audio[first.sha256] = try? h.content.read(first.sha256)
            $0.audio[second.sha256] = Data("not the audio".utf8)
        }
        let service = Self.service(h, link)
        do {
            try await service.syncOnce()
            Issue.record("a mismatched audio must fail the sync")
        } catch let error as LinkError {
            if case .audioMismatch(let offer, _, _) = error { #expect(offer == 2) } else { Issue.record("\(error)") }
        }
        #expect(try await h.database.allDispatches().count == 1)
        #expect(try await h.database.linkCursor(upstream: "http://127.0.0.1:1") == 1, "the cursor stops before the offer not taken")
        link.state.withLock { $0.audio[second.sha256] = try? h.content.read(second.sha256) }
        try await service.syncOnce()
        let classes = try await h.database.allDispatches().map(\.dispatchClass)
        #expect(classes == [.priority, .normal], "\(classes)")
        #expect(try await h.database.linkCursor(upstream: "http://127.0.0.1:1") == 2)
    } }
}
