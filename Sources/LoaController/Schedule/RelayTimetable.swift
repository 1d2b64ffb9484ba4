import Foundation
import LoaSchedule

/// A relay the controller opens at each of its windows: a scheduled relay's rule, or a relay
/// item inside a program (its window after the items before it).
struct RelayOpening: Sendable, Equatable {
    /// The windows, as a gateway's schedule carries them (`relay-<rule>`, `program-<id>.<position>`).
    var entry: RelayEntry
    var areaID: String
    var relayURL: String
    var onBusy: BusyPolicy
    var onInterrupt: InterruptPolicy
    var createdBy: String
    var relayScheduleID: Int64?
    /// `program-<id>.<position>` for a program's relay item.
    var programItem: String?
}

extension RelayOpening {
    init(rule: RelaySchedule) {
        self.init(entry: rule.entry(fallback: nil), areaID: rule.areaID, relayURL: rule.relayURL, onBusy: rule.onBusy,
                  onInterrupt: rule.onInterrupt, createdBy: rule.createdBy, relayScheduleID: rule.id, programItem: nil)
    }

    /// One per relay item of `program` that plays (each day's own shape where bulletins sent
    /// down were placed: `insertions`).
    static func program(_ program: Program, bulletins: [String: Bulletin], insertions: [ProgramInsertion]) -> [RelayOpening] {
        ProgramCompiler.relayWindows(program, bulletins: bulletins, insertions: insertions).map { window in
            RelayOpening(entry: window.entry, areaID: program.areaID, relayURL: window.relay.url, onBusy: program.onBusy,
                         onInterrupt: program.onInterrupt, createdBy: program.createdBy, relayScheduleID: nil, programItem: window.item)
        }
    }
}

/// When relays open and close, as a value (the `RelayScheduler` performs it): a window's relay
/// is opened `openLead` before its start — the upstream's connection and the gateways' jitter
/// buffer take that long, and the stream is held to sound on the instant (`LiveStreamClock`'s
/// `notBefore`) — and closed at its end; a window is opened once per run (a relay that fails
/// mid-window reconnects by itself, then ends); one that no longer exists (its rule deleted,
/// its program edited or deleted) closes at once. After a controller restart, a window still
/// running opens again.
struct RelayTimetable: Sendable {
    static let openLead: TimeInterval = 10

    struct Opened: Sendable, Equatable {
        var end: Date
        /// Nil until the stream exists.
        var streamID: Int64?
    }

    /// Windows opened in this run, by window id.
    private(set) var opened: [String: Opened] = [:]

    struct Plan: Sendable, Equatable {
        var open: [(relay: RelayOpening, window: RelayEntry.Window)] = []
        var close: [Int64] = []

        static func == (a: Plan, b: Plan) -> Bool {
            a.close == b.close && a.open.map(\.window) == b.open.map(\.window)
        }
    }

    /// What to do at `now`. The windows to open are recorded as opened at once (their stream ids
    /// follow with `opened(_:stream:)`); the streams to close are forgotten.
    mutating func plan(relays: [RelayOpening], timeZone: String, now: Date) -> Plan {
        var plan = Plan()
        let byEntry = Dictionary(relays.map { ($0.entry.id, $0) }, uniquingKeysWith: { first, _ in first })
        let document = GatewaySchedule(version: 0, timeZone: timeZone, entries: [], relays: relays.map(\.entry))
        let longest = TimeInterval(RelaySchedule.durationLimit.upperBound)
        let windows = (try? document.relayWindows(in: DateInterval(start: now.addingTimeInterval(-longest),
                                                                    end: now.addingTimeInterval(Self.openLead + 1)))) ?? []
        let existing = Set(windows.map(\.id))
        for (id, window) in opened.sorted(by: { $0.key < $1.key }) where window.end <= now || !existing.contains(id) {
            if let stream = window.streamID { plan.close.append(stream) }
            // Kept (without a stream) until well past, so the same window does not open again.
            opened[id] = Opened(end: window.end, streamID: nil)
        }
        opened = opened.filter { $0.value.end > now.addingTimeInterval(-86_400) }
        for window in windows where window.start.addingTimeInterval(-Self.openLead) <= now && now < window.end && opened[window.id] == nil {
            guard let relay = byEntry[window.entry.id] else { continue }
            opened[window.id] = Opened(end: window.end)
            plan.open.append((relay, window))
        }
        return plan
    }

    /// The stream opened for `windowID`.
    mutating func opened(_ windowID: String, stream: Int64) {
        opened[windowID]?.streamID = stream
    }
}
