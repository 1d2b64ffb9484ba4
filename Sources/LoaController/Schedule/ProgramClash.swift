import Foundation
import LoaSchedule

/// Whether a program would meet another program or a scheduled bulletin on the same gateways
/// at the same priority — where nothing says which should play, so a save is refused with the
/// clash named. At different priorities the gateway's arbiter decides (the higher preempts or
/// goes first, the other follows its `onBusy`), which is a choice the user made. Pure.
public enum ProgramClash {
    /// Something else on the same gateways, as schedule entries.
    public struct Other: Sendable {
        /// How the refusal names it: `program 'Tin sáng' (3)`, `schedule entry 12 ('Bản tin')`.
        public var label: String
        public var entries: [LoaSchedule.ScheduleEntry]

        public init(label: String, entries: [LoaSchedule.ScheduleEntry]) {
            self.label = label
            self.entries = entries
        }
    }

    public struct Found: Sendable, Equatable, CustomStringConvertible {
        public var other: String
        /// The program's block that meets it, and the other's play.
        public var block: DateInterval
        public var play: DateInterval
        public var priority: UInt8
        public var timeZone: String

        public var description: String {
            let day = local("yyyy-MM-dd"), clock = local("HH:mm:ss")
            return "it meets \(other) on \(day(play.start)) (its play \(clock(play.start))–\(clock(play.end)), "
                + "the program \(clock(block.start))–\(clock(block.end))), both at priority \(priority); "
                + "move one of them or give them different priorities"
        }

        /// Dates written in the schedule's zone with `pattern`.
        private func local(_ pattern: String) -> (Date) -> String {
            let formatter = DateFormatter()
            formatter.timeZone = TimeZone(identifier: timeZone)
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = pattern
            return { formatter.string(from: $0) }
        }
    }

    /// How far ahead a save looks: two months of a weekly or daily pattern, and any once or
    /// date-bounded entry within them.
    public static let horizon: TimeInterval = 62 * 86_400

    /// The first clash of a program, given as its `block` (one entry spanning each whole
    /// occurrence: `ProgramCompiler.block`), with `others` from `now` to `now + horizon`; nil
    /// when there is none.
    public static func first(block: LoaSchedule.ScheduleEntry, others: [Other], timeZone: String, now: Date) -> Found? {
        let priority = block.priority.rawValue
        let window = DateInterval(start: now.addingTimeInterval(-86_400), end: now.addingTimeInterval(horizon))
        guard let plays = try? GatewaySchedule(version: 0, timeZone: timeZone, entries: [block]).occurrences(in: window) else { return nil }
        let blocks = plays.map { DateInterval(start: $0.start, end: $0.end) }.filter { $0.end > now }
        var found: Found?
        for other in others {
            let same = other.entries.filter { $0.priority.rawValue == priority }
            guard !same.isEmpty,
                  let theirs = try? GatewaySchedule(version: 0, timeZone: timeZone, entries: same).occurrences(in: window) else { continue }
            for play in theirs where play.end > now {
                let interval = DateInterval(start: play.start, end: play.end)
                guard let block = blocks.first(where: { $0.start < interval.end && interval.start < $0.end }) else { continue }
                if found == nil || interval.start < found!.play.start {
                    found = Found(other: other.label, block: block, play: interval, priority: priority, timeZone: timeZone)
                }
                break
            }
        }
        return found
    }
}
