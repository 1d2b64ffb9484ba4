#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A scheduled relay ("tiếp sóng") as a gateway knows it: a window in which the controller will
/// send it a live stream relayed from upstream radio. The audio comes over the link; the entry
/// is here so that a gateway that does not get the stream (offline, link down) logs the window
/// missed instead of silently skipping it, and plays `fallback` instead when the rule names one.
///
/// JSON (in `GatewaySchedule.relays`, keys sorted; `validFrom`, `validTo`, `fallback`,
/// `offsetMs`, `exceptDates` omitted when absent): `{"durationMs":1800000,"id":"relay-3","priority":80,"recurrence":{"type":"daily"},
/// "time":"06:00:00","title":"Tiếp sóng VOV1"}`.
public struct RelayEntry: Hashable, Sendable, Codable {
    /// `relay-<rule id>`; window ids (and as-played item ids) start with it.
    public var id: String
    public var title: String
    public var recurrence: Recurrence
    public var time: LocalTime
    public var validFrom: LocalDate?
    public var validTo: LocalDate?
    /// How long the relay lasts from its start.
    public var durationMs: Int64
    public var priority: Priority
    /// A cached bulletin played when the relay does not arrive; nil: the window is only logged missed.
    public var fallback: Content?
    /// The window starts this long after `time` (a relay placed inside a program, after the
    /// items before it); nil for 0, so the key is omitted and older documents keep their bytes.
    public var offsetMs: Int64?
    /// Local days on which the window does not open although the recurrence says so (a
    /// program's occurrence that plays in another shape that day); nil when none.
    public var exceptDates: [LocalDate]?

    /// How long after the window's start a gateway waits for the relayed stream before it calls
    /// the window missed (at most half the window): the controller opens the upstream at the start (up to its stall
    /// timeout) and the stream sounds after the live delay.
    public static let arrivalGraceMs: Int64 = 30_000

    public init(id: String, title: String, recurrence: Recurrence, time: LocalTime, validFrom: LocalDate? = nil,
                validTo: LocalDate? = nil, durationMs: Int64, priority: Priority = .background, fallback: Content? = nil,
                offsetMs: Int64 = 0, exceptDates: [LocalDate] = []) {
        self.id = id
        self.title = title
        self.recurrence = recurrence
        self.time = time
        self.validFrom = validFrom
        self.validTo = validTo
        self.durationMs = durationMs
        self.priority = priority
        self.fallback = fallback
        self.offsetMs = offsetMs == 0 ? nil : offsetMs
        self.exceptDates = exceptDates.isEmpty ? nil : exceptDates.sorted()
    }

    /// One window of the relay: `id` is `relay-3@<start, Unix seconds>`.
    public struct Window: Hashable, Sendable {
        public var entry: RelayEntry
        public var start: Date
        public var id: String { "\(entry.id)@\(Int64(start.timeIntervalSince1970.rounded(.down)))" }
        public var end: Date { start.addingTimeInterval(TimeInterval(entry.durationMs) / 1000) }
        /// When a gateway without the stream calls the window missed: the grace, or half the
        /// window when that is shorter (so a short window's fallback still has time to play).
        public var deadline: Date { start.addingTimeInterval(TimeInterval(min(RelayEntry.arrivalGraceMs, entry.durationMs / 2)) / 1000) }

        /// The fallback bulletin as an item due now, for the rest of the window.
        public func fallbackItem(now: Date) -> PlayItem? {
            guard let fallback = entry.fallback else { return nil }
            return PlayItem(id: "\(id)#fallback", kind: .scheduled, content: fallback.sha256, priority: entry.priority,
                            durationMs: fallback.durationMs, onBusy: .queue, onInterrupt: .resume, due: now, expiresAt: end)
        }
    }

    /// The recurrence expanded as a `ScheduleEntry` of the relay's length would be (the same
    /// day, zone and validity rules).
    var asScheduleEntry: ScheduleEntry {
        ScheduleEntry(id: id, content: Content(sha256: String(repeating: "0", count: 64), durationMs: durationMs, title: title),
                      recurrence: recurrence, time: time, validFrom: validFrom, validTo: validTo, priority: priority,
                      offsetMs: offsetMs ?? 0, exceptDates: exceptDates ?? [])
    }
}

extension GatewaySchedule {
    /// Every bulletin the schedule may play: its entries' and its relays' fallbacks, each once,
    /// in document order — what a gateway keeps cached.
    public var contents: [Content] {
        var seen = Set<String>()
        return (entries.map(\.content) + relays.compactMap(\.fallback)).filter { seen.insert($0.sha256).inserted }
    }

    /// The relay windows that start in `interval`, by start.
    public func relayWindows(in interval: DateInterval) throws(ScheduleValidationError) -> [RelayEntry.Window] {
        guard !relays.isEmpty else { return [] }
        let asEntries = GatewaySchedule(version: version, timeZone: timeZone, entries: relays.map(\.asScheduleEntry))
        let byID = Dictionary(relays.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try asEntries.occurrences(in: interval).compactMap { occurrence in
            byID[occurrence.entryId].map { RelayEntry.Window(entry: $0, start: occurrence.start) }
        }
    }
}
