import Foundation
import Testing
@testable import LoaGateway

@Suite("Outbox")
struct OutboxTests {
    let directory = TemporaryDirectory("outbox")
    var path: String { directory.file("outbox.sqlite") }

    func payload(_ text: String) -> Data { Data(text.utf8) }

    @Test func pendingListsInAppendOrder() throws {
        let outbox = try Outbox(path: ":memory:")
        let a = try outbox.append(.playEvent, payload: payload("a"))
        let b = try outbox.append(.health, payload: payload("b"))
        let c = try outbox.append(.playEvent, payload: payload("c"))
        #expect(try outbox.pending().map(\.id) == [a.id, b.id, c.id])
        #expect(try outbox.pending(limit: 2).map(\.payload) == [payload("a"), payload("b")])
    }

    @Test func acknowledgeDeletesOnlyThoseIds() throws {
        let outbox = try Outbox(path: ":memory:")
        let items = try (0 ..< 4).map { try outbox.append(.playEvent, payload: payload("\($0)")) }
        #expect(try outbox.acknowledge([items[1].id, items[3].id, UUID()]) == 2)
        #expect(try outbox.pending().map(\.id) == [items[0].id, items[2].id])
        #expect(try outbox.acknowledge([items[1].id]) == 0, "acknowledging twice is harmless")
    }

    @Test func unacknowledgedSurviveReopenWithSameIdsAndAcknowledgedNeverReappear() throws {
        var sent: [OutboxItem] = []
        do {
            let outbox = try Outbox(path: path)
            sent = try (0 ..< 5).map { try outbox.append(.playEvent, payload: payload("event \($0)")) }
            try outbox.acknowledge(sent.prefix(2).map(\.id))
        }
        let reopened = try Outbox(path: path)
        let resend = try reopened.pending()
        #expect(resend == Array(sent.dropFirst(2)), "resend after reconnect carries the same ids")
        try reopened.acknowledge(resend.map(\.id))
        #expect(try Outbox(path: path).pending().isEmpty)
    }

    @Test func healthSnapshotsAreBoundedButPlayEventsAreNot() throws {
        let outbox = try Outbox(path: ":memory:", healthLimit: 3)
        let play = try outbox.append(.playEvent, payload: payload("played"))
        let health = try (0 ..< 10).map { try outbox.append(.health, payload: payload("h\($0)")) }
        #expect(try outbox.pending().map(\.id) == [play.id] + health.suffix(3).map(\.id))
    }

    @Test func appendingAQueuedIdIsIdempotent() throws {
        let outbox = try Outbox(path: ":memory:")
        let id = UUID()
        let first = try outbox.append(.playEvent, payload: payload("first"), id: id)
        let again = try outbox.append(.playEvent, payload: payload("second"), id: id)
        #expect(again == first)
        #expect(try outbox.pendingCount() == 1)
    }

    @Test func usesWALWithFullSync() throws {
        let outbox = try Outbox(path: path)
        #expect(try outbox.pragma("journal_mode") == "wal")
        #expect(try outbox.pragma("synchronous") == "2", "2 is FULL")
    }
}
