import Foundation
import Testing
@testable import LoaController

@Suite struct PlayLogStoreTests {
    func event(_ n: Int, gateway: String, at: Date, bulletin: Int = 1, kind: PlayLogEntry.Kind = .started) -> PlayLogEntry {
        PlayLogEntry(eventID: "ev-\(gateway)-\(n)", gatewayID: gateway, itemID: "item-\(n)",
                  bulletinSHA256: StoreFixture.hash(bulletin), kind: kind, at: at, positionMs: 0)
    }

    @Test func aResentEventIsIgnored() async throws {
        let f = try await StoreFixture.seeded()
        let e = event(1, gateway: "xa-tan-lap-01", at: f.clock.now)
        #expect(try await f.database.recordPlayEvents([e]) == 1)
        var resent = e
        resent.kind = .finished  // a resend never rewrites what was stored
        #expect(try await f.database.recordPlayEvents([resent, e]) == 0)
        let page = try await f.database.playEvents(PlayEventQuery())
        #expect(page.events == [e])
    }

    @Test func concurrentResendsStoreEachEventOnce() async throws {
        let f = try await StoreFixture.seeded()
        let events = (0..<20).map { event($0, gateway: "xa-tan-lap-01", at: f.clock.now) }
        let inserted = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await f.database.recordPlayEvents(events.shuffled()) } }
            return try await group.reduce(0, +)
        }
        #expect(inserted == 20)
        #expect(try await f.database.playEvents(PlayEventQuery(limit: 1_000)).events.count == 20)
    }

    @Test func eventsFromUnknownGatewaysAreRefused() async throws {
        let f = try await StoreFixture.seeded()
        await #expect(throws: StoreError.notFound(kind: "gateway", id: "xa-tan-lap-09")) {
            try await f.database.recordPlayEvents([self.event(1, gateway: "xa-tan-lap-09", at: f.clock.now)])
        }
    }

    @Test func filters() async throws {
        let f = try await StoreFixture.seeded()
        let t0 = f.clock.now
        var events: [PlayLogEntry] = []
        for (i, gateway) in StoreFixture.gateways.map(\.id).enumerated() {
            events.append(event(i, gateway: gateway, at: t0.addingTimeInterval(Double(i) * 60), bulletin: i % 2))
        }
        try await f.database.recordPlayEvents(events)
        func ids(_ q: PlayEventQuery) async throws -> [String] { try await f.database.playEvents(q).events.map(\.gatewayID) }
        #expect(try await ids(PlayEventQuery(areaID: "cam-xuyen")) == ["xa-cam-binh-01", "xa-tan-lap-02", "xa-tan-lap-01"])
        #expect(try await ids(PlayEventQuery(areaID: "nghe-an")) == ["xa-dien-hoa-01"])
        #expect(try await ids(PlayEventQuery(gatewayID: "xa-tan-lap-02")) == ["xa-tan-lap-02"])
        #expect(try await ids(PlayEventQuery(bulletinSHA256: StoreFixture.hash(1))) == ["xa-ky-phong-01", "xa-tan-lap-02"])
        #expect(try await ids(PlayEventQuery(from: t0.addingTimeInterval(60), until: t0.addingTimeInterval(180)))
            == ["xa-cam-binh-01", "xa-tan-lap-02"])
        #expect(try await ids(PlayEventQuery(areaID: "ha-tinh", bulletinSHA256: StoreFixture.hash(0))) == ["xa-cam-binh-01", "xa-tan-lap-01"])
    }

    @Test func keysetPagesCoverEverythingOnceEvenWithTies() async throws {
        let f = try await StoreFixture.seeded()
        let t0 = f.clock.now
        // 25 events, several sharing a timestamp, so paging must use the sequence to break ties.
        let events = (0..<25).map { event($0, gateway: "xa-tan-lap-01", at: t0.addingTimeInterval(Double($0 / 3))) }
        try await f.database.recordPlayEvents(events)
        var seen: [String] = []
        var query = PlayEventQuery(gatewayID: "xa-tan-lap-01", limit: 10)
        var pages = 0
        while true {
            let page = try await f.database.playEvents(query)
            seen += page.events.map(\.eventID)
            pages += 1
            guard let next = page.next else { break }
            #expect(PlayEventQuery.Cursor(token: next.token) == next)
            query.after = next
            // New events arriving meanwhile do not disturb the older pages.
            try await f.database.recordPlayEvents([event(100 + pages, gateway: "xa-tan-lap-01", at: t0.addingTimeInterval(3600))])
        }
        #expect(pages == 3)
        #expect(seen == events.reversed().map(\.eventID))
    }
}
