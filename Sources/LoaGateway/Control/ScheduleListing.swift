#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// `schedule`: the next plays of the stored schedule, expanded with LoaSchedule exactly as the
/// player expands it (local time in the schedule's zone).
public struct ScheduleListing: Codable, Hashable, Sendable {
    public struct Play: Codable, Hashable, Sendable {
        /// The occurrence id the as-played log uses (`entry@unixSeconds#repeat`).
        public var itemId: String
        public var entryId: String
        /// Start in ms since 1970 (controller time).
        public var start: Int64
        /// The same instant in the schedule's zone, `yyyy-MM-dd HH:mm:ss`.
        public var localStart: String
        public var durationMs: Int64
        public var priority: Int
        public var title: String?
        public var sha256: String
        /// Whether the content is in the verified cache now.
        public var cached: Bool
    }

    public var version: UInt64?
    public var timeZone: String?
    /// How far ahead was looked, in days.
    public var horizonDays: Int
    public var plays: [Play]
    /// Why the schedule could not be expanded, if it could not.
    public var problem: String?

    /// The first `count` plays starting at or after `now` within `horizonDays`. Pure: the
    /// schedule, the instant and the cache test are given.
    public static func make(schedule: GatewaySchedule?, now: Date, count: Int, horizonDays: Int = 8,
                            isCached: (String) -> Bool) -> ScheduleListing {
        guard let schedule else { return ScheduleListing(version: nil, timeZone: nil, horizonDays: horizonDays, plays: []) }
        let interval = DateInterval(start: now, duration: TimeInterval(horizonDays) * 86_400)
        let occurrences: [Occurrence]
        do { occurrences = try schedule.occurrences(in: interval) } catch {
            return ScheduleListing(version: schedule.version, timeZone: schedule.timeZone, horizonDays: horizonDays, plays: [],
                                   problem: "\(error)")
        }
        // The zone read (and checked) by the expansion above: its rules, not Foundation's (no ICU).
        let zone = try? ZoneRules.cached(schedule.timeZone)
        let plays = occurrences.prefix(count).map { o in
            Play(itemId: o.id, entryId: o.entryId, start: Int64((o.start.timeIntervalSince1970 * 1000).rounded()),
                 localStart: zone?.localText(o.start) ?? "", durationMs: o.durationMs, priority: Int(o.priority.rawValue),
                 title: o.content.title, sha256: o.content.sha256, cached: isCached(o.content.sha256))
        }
        return ScheduleListing(version: schedule.version, timeZone: schedule.timeZone, horizonDays: horizonDays, plays: Array(plays))
    }
}
