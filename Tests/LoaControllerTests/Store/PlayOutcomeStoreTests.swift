import Foundation
import Testing
@testable import LoaController

/// Proof of play in the store: one outcome per (gateway, item), the controller's `missed` only
/// where the gateway said nothing, and the gateway's word replacing it.
@Suite struct PlayOutcomeStoreTests {
    static let gateway = "xa-tan-lap-01"

    func event(_ id: String, item: String, _ kind: PlayLogEntry.Kind, at: Date, detail: String? = nil,
               gateway: String = Self.gateway, origin: PlayLogEntry.Origin = .gateway) -> PlayLogEntry {
        PlayLogEntry(eventID: id, gatewayID: gateway, itemID: item, bulletinSHA256: StoreFixture.hash(1), kind: kind, at: at,
                  positionMs: 0, detail: detail, origin: origin)
    }

    @Test func eachLifeIsOneRowWithItsLastEventAsTheOutcome() async throws {
        let f = try await StoreFixture.seeded()
        let t = f.clock.now
        try await f.database.recordPlayEvents([
            event("a1", item: "sang", .started, at: t),
            event("a2", item: "sang", .interrupted, at: t + 5, detail: "atMs=5000 by=gateway-restart"),
            event("a3", item: "sang", .started, at: t + 9, detail: "restarted"),
            event("a4", item: "sang", .finished, at: t + 20, detail: "atMs=11000"),
            event("b1", item: "trua", .started, at: t + 30),
            event("c1", item: "toi", .dropped, at: t + 40, detail: "missed reason=gateway-down down=1-2"),
            event("d1", item: "dem", .started, at: t + 50),
            event("d2", item: "dem", .interrupted, at: t + 55, detail: "atMs=5000 by=thong-bao"),
            event("e1", item: "sang", .finished, at: t + 60, gateway: "xa-tan-lap-02"),
        ])
        let page = try await f.database.playOutcomes(PlayEventQuery())
        #expect(page.outcomes.map { "\($0.gatewayID) \($0.itemID) \($0.outcome.rawValue) \($0.events)" } == [
            "xa-tan-lap-02 sang finished 1", "xa-tan-lap-01 dem interrupted 2", "xa-tan-lap-01 toi dropped 1",
            "xa-tan-lap-01 trua playing 1", "xa-tan-lap-01 sang finished 4",
        ])
        let sang = try #require(page.outcomes.last)
        #expect(sang.firstAt == t && sang.lastAt == t + 20 && sang.detail == "atMs=11000" && sang.origin == .gateway)
        // The filters apply to a life's first event: `sang` began before `since`, so it is not cut in two.
        let later = try await f.database.playOutcomes(PlayEventQuery(gatewayID: Self.gateway, from: t + 10))
        #expect(later.outcomes.map(\.itemID) == ["dem", "toi", "trua"])
    }

    @Test func outcomePagesCoverEveryLifeOnce() async throws {
        let f = try await StoreFixture.seeded()
        let t = f.clock.now
        var events: [PlayLogEntry] = []
        for n in 0..<23 {  // ties in time, two events each
            events.append(event("s\(n)", item: "i\(n)", .started, at: t + Double(n / 4)))
            events.append(event("f\(n)", item: "i\(n)", .finished, at: t + 100 + Double(n)))
        }
        try await f.database.recordPlayEvents(events.shuffled())
        var query = PlayEventQuery(limit: 10)
        var seen: [String] = []
        while true {
            let page = try await f.database.playOutcomes(query)
            seen += page.outcomes.map(\.itemID)
            #expect(page.outcomes.allSatisfy { $0.outcome == .finished && $0.events == 2 })
            guard let next = page.next else { break }
            query.after = next
        }
        #expect(seen.count == 23 && Set(seen).count == 23)
    }

    @Test func theControllersMissedIsStoredOnlyWhereTheGatewaySaidNothingAndGivesWayToIt() async throws {
        let f = try await StoreFixture.seeded()
        let t = f.clock.now
        try await f.database.recordPlayEvents([event("g1", item: "played", .started, at: t)])
        let guesses = ["played", "unreported"].map { item in
            event(MissedSweep.eventID(gatewayID: Self.gateway, itemID: item), item: item, .missed, at: t,
                  detail: "missed reason=gateway-offline offline-since=0", origin: .controller)
        }
        #expect(try await f.database.recordMissedByController(guesses) == 1)
        #expect(try await f.database.recordMissedByController(guesses) == 0)  // a second sweep adds nothing
        var outcomes = try await f.database.playOutcomes(PlayEventQuery()).outcomes
        #expect(outcomes.map { "\($0.itemID) \($0.outcome.rawValue) \($0.origin.rawValue)" }
            == ["unreported missed controller", "played playing gateway"])

        // The gateway comes back and reports it (it had played offline): its events replace the guess.
        try await f.database.recordPlayEvents([
            event("g2", item: "unreported", .started, at: t + 1), event("g3", item: "unreported", .finished, at: t + 9),
        ])
        outcomes = try await f.database.playOutcomes(PlayEventQuery()).outcomes
        #expect(outcomes.map { "\($0.itemID) \($0.outcome.rawValue) \($0.events) \($0.origin.rawValue)" }
            == ["unreported finished 2 gateway", "played playing 1 gateway"])
        let all = try await f.database.playEvents(PlayEventQuery()).events
        #expect(!all.contains { $0.origin == .controller })
        #expect(try await f.database.recordMissedByController(guesses) == 0)
    }

    @Test func aDeletedGatewayIsNotMarked() async throws {
        let f = try await StoreFixture.seeded()
        let guess = event(MissedSweep.eventID(gatewayID: "xa-gone-01", itemID: "x"), item: "x", .missed, at: f.clock.now,
                          gateway: "xa-gone-01", origin: .controller)
        #expect(try await f.database.recordMissedByController([guess]) == 0)
    }

    @Test func detailsAreKeptBoundedAndWithoutControlCharacters() async throws {
        let f = try await StoreFixture.seeded()
        let long = String(repeating: "ầ", count: 150) + String(repeating: "x", count: 150)  // 300 scalars in NFC
        let hostile = "atMs=5 \u{1B}[2J\r\nforged line"
        try await f.database.recordPlayEvents([
            event("l", item: "long", .finished, at: f.clock.now, detail: long),
            event("h", item: "hostile", .finished, at: f.clock.now, detail: hostile),
        ])
        let stored = Dictionary(uniqueKeysWithValues: try await f.database.playEvents(PlayEventQuery()).events.map { ($0.itemID, $0) })
        #expect(stored["long"]?.detail?.unicodeScalars.count == PlayLogEntry.detailLimit)
        #expect(stored["hostile"]?.detail == "atMs=5 \u{FFFD}[2J\u{FFFD}\u{FFFD}forged line")
    }
}
