import Foundation
import LoaSchedule

/// When scheduled relays open and close, as a value (the `RelayScheduler` performs it): a
/// window's relay is opened `openLead` before its start — the upstream's connection and the
/// gateways' jitter buffer take that long, and the stream is held to sound on the instant
/// (`LiveStreamClock`'s `notBefore`) — and closed at its end; a window is opened once per run
/// (a relay that fails mid-window reconnects by itself, then ends); one whose rule was deleted
/// closes at once. After a controller restart, a window still running opens again.
struct RelayTimetable: Sendable {
    static let openLead: TimeInterval = 10

    struct Opened: Sendable, Equatable {
        var ruleID: Int64
        var end: Date
        /// Nil until the stream exists.
        var streamID: Int64?
    }

    /// Windows opened in this run, by window id.
    private(set) var opened: [String: Opened] = [:]

    struct Plan: Sendable, Equatable {
        var open: [(rule: RelaySchedule, window: RelayEntry.Window)] = []
        var close: [Int64] = []

        static func == (a: Plan, b: Plan) -> Bool {
            a.close == b.close && a.open.map(\.window) == b.open.map(\.window)
        }
    }

    /// What to do at `now`. The windows to open are recorded as opened at once (their stream ids
    /// follow with `opened(_:stream:)`); the streams to close are forgotten.
    mutating func plan(rules: [RelaySchedule], timeZone: String, now: Date) -> Plan {
        var plan = Plan()
        let live = Set(rules.map(\.id))
        for (id, window) in opened.sorted(by: { $0.key < $1.key }) where window.end <= now || !live.contains(window.ruleID) {
            if let stream = window.streamID { plan.close.append(stream) }
            // Kept (without a stream) until well past, so the same window does not open again.
            opened[id] = Opened(ruleID: window.ruleID, end: window.end, streamID: nil)
        }
        opened = opened.filter { $0.value.end > now.addingTimeInterval(-86_400) }
        let byEntry = Dictionary(rules.map { (RelaySchedule.entryID(forRule: $0.id), $0) }, uniquingKeysWith: { first, _ in first })
        let document = GatewaySchedule(version: 0, timeZone: timeZone, entries: [], relays: rules.map { $0.entry(fallback: nil) })
        let longest = TimeInterval(RelaySchedule.durationLimit.upperBound)
        let windows = (try? document.relayWindows(in: DateInterval(start: now.addingTimeInterval(-longest),
                                                                    end: now.addingTimeInterval(Self.openLead + 1)))) ?? []
        for window in windows where window.start.addingTimeInterval(-Self.openLead) <= now && now < window.end && opened[window.id] == nil {
            guard let rule = byEntry[window.entry.id] else { continue }
            opened[window.id] = Opened(ruleID: rule.id, end: window.end)
            plan.open.append((rule, window))
        }
        return plan
    }

    /// The stream opened for `windowID`.
    mutating func opened(_ windowID: String, stream: Int64) {
        opened[windowID]?.streamID = stream
    }
}
