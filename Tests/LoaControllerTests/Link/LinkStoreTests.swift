import Foundation
import Testing
@testable import LoaController

/// The link's bookkeeping in the store: the downstream's receipt, dispatch and cursor in one
/// transaction (a repeat is a no-op, the cursor never goes back), the upstream's offers by area
/// and cursor, acknowledgements and reported status only for the downstream's own areas.
@Suite struct LinkStoreTests {
    static let upstream = "http://127.0.0.1:8081"

    static func dispatch(_ sha256: String, to area: String, sender: String = "admin") -> Dispatch {
        Dispatch(bulletinSHA256: sha256, dispatchClass: .normal, sender: sender, senderAreaID: nil,
                 targets: [Dispatch.Target(id: 0, dispatchID: 0, areaID: area, state: .delivered, updatedAt: Date(timeIntervalSince1970: 0))])
    }

    @Test func anOfferIsTakenOnceWithItsReceiptAndTheCursorOnlyMovesForward() async throws {
        let f = try await StoreFixture.seeded()
        let bulletin = try await f.approvedBulletin(1)
        #expect(try await f.store.linkCursor(upstream: Self.upstream) == 0)
        let taken = try await f.store.receiveOffer(upstream: Self.upstream, offerID: 7, dispatch: Self.dispatch(bulletin.sha256, to: "xa-tan-lap"),
                                                   reason: nil, senderLevel: "central", origin: f.admin)
        let id = try #require(taken?.id)
        #expect(try await f.store.linkCursor(upstream: Self.upstream) == 7)
        #expect(try await f.store.linkSenderLevel(dispatch: id) == "central")
        // The same offer again (the acknowledgement was lost): nothing stored twice.
        let again = try await f.store.receiveOffer(upstream: Self.upstream, offerID: 7, dispatch: Self.dispatch(bulletin.sha256, to: "xa-tan-lap"),
                                                   reason: nil, senderLevel: "central", origin: f.admin)
        #expect(again == nil)
        #expect(try await f.store.allDispatches().count == 1)
        #expect(try await f.store.receivedOffers(upstream: Self.upstream, among: [6, 7, 8]) == [7])
        // A refusal is a receipt without a dispatch; the cursor never goes back.
        _ = try await f.store.receiveOffer(upstream: Self.upstream, offerID: 9, dispatch: nil, reason: "not mapped", senderLevel: "central", origin: f.admin)
        try await f.store.advanceLinkCursor(upstream: Self.upstream, to: 3)
        #expect(try await f.store.linkCursor(upstream: Self.upstream) == 9)
        let receipts = try await f.store.linkReceipts(upstream: Self.upstream, limit: 10)
        #expect(receipts.map(\.offerID) == [9, 7] && receipts.map(\.taken) == [false, true] && receipts.first?.reason == "not mapped")
        #expect(try await f.store.linkCursor(upstream: "http://elsewhere:1") == 0, "cursors are per upstream")
    }

    @Test func aDispatchThatCannotBeStoredLeavesNoReceipt() async throws {
        let f = try await StoreFixture.seeded()
        let draft = try await f.bulletin(2)
        await #expect(throws: StoreError.self) {
            _ = try await f.store.receiveOffer(upstream: Self.upstream, offerID: 4, dispatch: Self.dispatch(draft.sha256, to: "xa-tan-lap"),
                                               reason: nil, senderLevel: "central", origin: f.admin)
        }
        #expect(try await f.store.receivedOffers(upstream: Self.upstream, among: [4]).isEmpty)
        #expect(try await f.store.linkCursor(upstream: Self.upstream) == 0, "half-saved: nothing")
    }

    @Test func theUpstreamOffersAcknowledgesAndRecordsStatusOnlyForTheDownstreamsAreas() async throws {
        let f = try await StoreFixture.seeded()
        let bulletin = try await f.approvedBulletin(1)
        let toTanLap = try await f.store.createDispatch(Self.dispatch(bulletin.sha256, to: "xa-tan-lap"), origin: f.admin)
        let toDienHoa = try await f.store.createDispatch(Self.dispatch(bulletin.sha256, to: "xa-dien-hoa"), origin: f.admin)
        let camXuyen = Set(try await f.store.subtree(of: "cam-xuyen").map(\.id))
        let offered = try await f.store.offeredTargets(areas: camXuyen, after: 0, limit: 50)
        let tanLapTarget = try #require(toTanLap.targets.first?.id)
        let dienHoaTarget = try #require(toDienHoa.targets.first?.id)
        #expect(offered.map(\.target.id) == [tanLapTarget])
        #expect(try await f.store.offeredTargets(areas: camXuyen, after: tanLapTarget, limit: 50).isEmpty)
        #expect(try await f.store.isOfferedAudio(bulletin.sha256, areas: camXuyen))
        #expect(try await f.store.isOfferedAudio(StoreFixture.hash(9), areas: camXuyen) == false)
        // Idempotent acks, and none for another downstream's commune.
        #expect(try await f.store.acknowledgeOffers([tanLapTarget, tanLapTarget, dienHoaTarget], link: "ha-tinh", areas: camXuyen) == [tanLapTarget])
        #expect(try await f.store.acknowledgeOffers([tanLapTarget], link: "ha-tinh", areas: camXuyen) == [tanLapTarget])
        let play = LinkStatusReport.Play(gatewayId: "xa-01", kind: "finished", at: "2026-12-07T10:00:00.000Z")
        let recorded = try await f.store.recordOfferStatus([.init(id: tanLapTarget, state: "placed", plays: [play]),
                                                            .init(id: dienHoaTarget, state: "declined", reason: "no")], link: "ha-tinh", areas: camXuyen)
        #expect(recorded == [tanLapTarget])
        _ = try await f.store.recordOfferStatus([.init(id: tanLapTarget, state: "placed", plays: [play, play])], link: "ha-tinh", areas: camXuyen)
        let status = try await f.store.offerStatus(dispatch: toTanLap.id)
        #expect(status[tanLapTarget]?.plays.count == 2 && status[tanLapTarget]?.link == "ha-tinh", "a report replaces the previous one")
        #expect(try await f.store.offerStatus(dispatch: toDienHoa.id).isEmpty)
    }

    @Test func aPeriodReportIsKeptPerDownstreamAreaAndPeriodStart() async throws {
        let f = try await StoreFixture.seeded()
        let first = LinkPeriodReport(link: "ha-tinh", areaID: "xa-tan-lap", from: "2026-12-01", to: "2026-12-06", report: #"{"n":1}"#,
                                     receivedAt: Date(timeIntervalSince1970: 1_000))
        try await f.store.storePeriodReport(first)
        var later = first
        later.to = "2026-12-07"
        later.report = #"{"n":2}"#
        try await f.store.storePeriodReport(later)
        var november = first
        november.from = "2026-11-01"
        november.to = "2026-11-30"
        try await f.store.storePeriodReport(november)
        let kept = try await f.store.periodReports()
        #expect(kept.map(\.from) == ["2026-12-01", "2026-11-01"] && kept.first?.report == #"{"n":2}"# && kept.first?.to == "2026-12-07")
        var unknown = first
        unknown.areaID = "xa-khong-co"
        await #expect(throws: StoreError.self) { try await f.store.storePeriodReport(unknown) }
    }
}
