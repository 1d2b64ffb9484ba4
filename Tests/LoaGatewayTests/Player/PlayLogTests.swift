import Foundation
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// How the playout machine's events map onto the protocol's six kinds.
@Suite struct PlayLogTests {
    @Test(arguments: [
        (PlayoutEvent.Kind.started, PlayEventKind.started, nil as String?, nil as Int64?),
        (.finished(atMs: 93_500), .finished, "atMs=93500", 93_500),
        (.interrupted(atMs: 45_000, by: "khan-cap"), .interrupted, "atMs=45000 by=khan-cap", 45_000),
        (.stopped(atMs: 10), .interrupted, "stopped atMs=10", 10),
        (.resumed(fromMs: 45_000), .resumed, "fromMs=45000", 45_000),
        (.restarted, .started, "restarted", nil),
        (.dropped(reason: .busy), .dropped, "reason=busy", nil),
        (.missed, .dropped, "missed reason=late", nil),
        (.expired, .dropped, "expired", nil),
        (.interrupted(atMs: 95_000, by: nil), .interrupted, "atMs=95000 live source lost", 95_000),
        (.sourceLost, .interrupted, "sourceLost", nil),
        (.sourceRestored, .resumed, "sourceRestored", nil),
    ])
    func mapsKinds(kind: PlayoutEvent.Kind, wire: PlayEventKind, detail: String?, positionMs: Int64?) {
        let at = Date(timeIntervalSince1970: 1_800_000_000.25)
        let event = PlayLog.wireEvent(PlayoutEvent(at: at, itemId: "x", kind: kind), id: "id-1")
        #expect(event == LoaProtocol.PlayEvent(id: "id-1", itemId: "x", kind: wire, at: 1_800_000_000_250, detail: detail,
                                               positionMs: positionMs))
    }

    @Test func recordAppendsDurablyWithTheDerivedIdAsEventId() throws {
        let outbox = try Outbox(path: ":memory:")
        let log = PlayLog(gatewayId: "xa-thu-01", outbox: outbox)
        let wire = try #require(try log.record(PlayoutEvent(at: Date(), itemId: "x", kind: .started)))
        let item = try #require(try outbox.pending().first)
        #expect(item.id.uuidString == wire.id)
        #expect(wire.id == PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "x", transition: .started, sequence: 0).uuidString)
        #expect(try JSONDecoder().decode(LoaProtocol.PlayEvent.self, from: item.payload) == wire)
    }
}
