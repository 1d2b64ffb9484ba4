import Foundation
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// How the playout machine's events map onto the protocol's six kinds.
@Suite struct PlayLogTests {
    @Test(arguments: [
        (PlayoutEvent.Kind.started, PlayEventKind.started, nil as String?, nil as Int64?, nil as PlayEventCause?),
        (.finished(atMs: 93_500), .finished, "atMs=93500", 93_500, nil),
        (.interrupted(atMs: 45_000, by: "khan-cap"), .interrupted, "atMs=45000 by=khan-cap", 45_000, .preempted),
        (.interrupted(atMs: 5_730, by: "gateway-restart"), .interrupted, "atMs=5730 by=gateway-restart", 5_730, .gatewayRestart),
        (.interrupted(atMs: 2_000, by: "shutdown"), .interrupted, "atMs=2000 by=shutdown", 2_000, .shutdown),
        (.stopped(atMs: 10), .interrupted, "stopped atMs=10", 10, .stopped),
        (.resumed(fromMs: 45_000), .resumed, "fromMs=45000", 45_000, nil),
        (.restarted, .started, "restarted", nil, .restarted),
        (.dropped(reason: .busy), .dropped, "reason=busy", nil, .busy),
        (.dropped(reason: .interrupted), .dropped, "reason=interrupted", nil, .interrupted),
        (.dropped(reason: .stopped), .dropped, "reason=stopped", nil, .stopped),
        (.missed, .dropped, "missed reason=late", nil, .missed),
        (.expired, .dropped, "expired", nil, .expired),
        (.interrupted(atMs: 95_000, by: nil), .interrupted, "atMs=95000 live source lost", 95_000, .liveSourceLost),
        (.sourceLost, .interrupted, "sourceLost", nil, .sourceLost),
        (.sourceRestored, .resumed, "sourceRestored", nil, .sourceRestored),
    ])
    func mapsKinds(kind: PlayoutEvent.Kind, wire: PlayEventKind, detail: String?, positionMs: Int64?, cause: PlayEventCause?) {
        let at = Date(timeIntervalSince1970: 1_800_000_000.25)
        let event = PlayLog.wireEvent(PlayoutEvent(at: at, itemId: "x", kind: kind), id: "id-1")
        let by = cause == .preempted ? "khan-cap" : nil
        #expect(event == LoaProtocol.PlayEvent(id: "id-1", itemId: "x", kind: wire, at: 1_800_000_000_250, detail: detail,
                                               positionMs: positionMs, cause: cause, by: by))
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
