import Foundation
import LoaSchedule
import Testing
@testable import LoaGateway

/// Scheduled relays on the gateway, as pure planner decisions: a window whose stream has not
/// arrived `RelayEntry.arrivalGraceMs` after its start is logged `relayMissed` and its fallback
/// bulletin handed in; one a live stream covers is left alone; the planner wakes for the deadline.
struct RelayWindowTests {
    static let start = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 00:00 UTC, 07:00 in Hà Nội

    static func schedule(fallback: Content? = nil) -> GatewaySchedule {
        GatewaySchedule(version: 2, entries: [], relays: [
            RelayEntry(id: "relay-3", title: "Tiếp sóng VOV1", recurrence: .daily, time: LocalTime(hour: 7, minute: 0, second: 10),
                       durationMs: 600_000, fallback: fallback),
        ])
    }

    static let fallback = Content(sha256: String(repeating: "ab", count: 32), durationMs: 5_000, title: "Bản tin dự phòng")

    @Test func aWindowWithoutItsStreamIsLoggedMissedAndItsFallbackPlays() {
        var planner = PlayoutPlanner(configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 60_000))
        let opened = planner.scheduleChanged(Self.schedule(fallback: Self.fallback), now: Self.start)
        let windowStart = Self.start.addingTimeInterval(10)
        let deadline = windowStart.addingTimeInterval(30)
        #expect(opened.last == .wakeUp(at: deadline), "the planner wakes for the relay's deadline: \(opened)")
        #expect(planner.tick(now: deadline.addingTimeInterval(-1)).allSatisfy { if case .log = $0 { false } else { true } })
        let actions = planner.tick(now: deadline)
        let windowID = "relay-3@\(Int(windowStart.timeIntervalSince1970))"
        #expect(actions.contains(.log(PlayoutEvent(at: deadline, itemId: windowID, kind: .relayMissed))), "\(actions)")
        #expect(actions.contains { if case .start(let item, _) = $0 { item.id == windowID + "#fallback" && item.content == Self.fallback.sha256 } else { false } },
                "\(actions)")
        // Once decided, never again.
        #expect(planner.tick(now: deadline.addingTimeInterval(5)).allSatisfy { if case .log(let e) = $0 { e.kind != .relayMissed } else { true } })
    }

    @Test func aWindowItsStreamCoversIsNotMissed() {
        var planner = PlayoutPlanner(configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 60_000))
        _ = planner.scheduleChanged(Self.schedule(fallback: Self.fallback), now: Self.start)
        let windowStart = Self.start.addingTimeInterval(10)
        let live = PlayItem(id: "live-9", kind: .live, priority: .background, durationMs: nil, onBusy: .queue, onInterrupt: .resume,
                            due: windowStart.addingTimeInterval(4))
        _ = planner.itemDue(live, now: windowStart.addingTimeInterval(2))
        _ = planner.tick(now: windowStart.addingTimeInterval(4))
        let actions = planner.tick(now: windowStart.addingTimeInterval(30))
        #expect(!actions.contains { if case .log(let event) = $0 { event.kind == .relayMissed } else { false } }, "\(actions)")
        #expect(!actions.contains { if case .start = $0 { true } else { false } })
    }

    @Test func withoutAFallbackTheWindowIsOnlyLogged() {
        var planner = PlayoutPlanner(configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 60_000))
        _ = planner.scheduleChanged(Self.schedule(), now: Self.start)
        let actions = planner.tick(now: Self.start.addingTimeInterval(40))
        #expect(actions.contains { if case .log(let event) = $0 { event.kind == .relayMissed } else { false } })
        #expect(!actions.contains { if case .start = $0 { true } else { false } })
        let wire = PlayLog.wireEvent(PlayoutEvent(at: Self.start, itemId: "relay-3@1", kind: .relayMissed), id: "x")
        #expect(wire.kind == .dropped && wire.detail == "missed reason=relay-not-received" && wire.cause == .missed)
    }

    @Test func relaysTravelInTheScheduleDocumentOnlyWhenThereAreAny() throws {
        let plain = GatewaySchedule(version: 1, entries: [])
        #expect(String(decoding: plain.canonicalJSON(), as: UTF8.self) == #"{"entries":[],"timeZone":"Asia\/Ho_Chi_Minh","version":1}"#
                || !String(decoding: plain.canonicalJSON(), as: UTF8.self).contains("relays"))
        let withRelay = Self.schedule(fallback: Self.fallback)
        let text = String(decoding: withRelay.canonicalJSON(), as: UTF8.self)
        #expect(text.contains(#""relays":[{"durationMs":600000,"fallback":{"#), "\(text)")
        #expect(try GatewaySchedule.decode(json: withRelay.canonicalJSON()) == withRelay)
        let windows = try withRelay.relayWindows(in: DateInterval(start: Self.start, duration: 3 * 86_400))
        #expect(windows.map(\.start) == (0..<3).map { Self.start.addingTimeInterval(10 + Double($0) * 86_400) })
        #expect(windows.first?.end == Self.start.addingTimeInterval(610))
    }
}
