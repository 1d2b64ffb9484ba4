import LoaSchedule

/// The fields of a schedule entry, stored as columns; `LoaSchedule` expands them into plays.
public struct ScheduleRule: Sendable, Equatable {
    /// How often the entry plays.
    public enum Recurrence: Sendable, Equatable {
        case once
        case daily
        /// On the given ISO weekdays, 1 = Monday … 7 = Sunday.
        case weekly(Set<Int>)

        var name: String {
            switch self {
            case .once: return "once"
            case .daily: return "daily"
            case .weekly: return "weekly"
            }
        }

        /// Bit (day − 1) set for each weekday; 0 for once and daily.
        var weekdayMask: Int {
            guard case let .weekly(days) = self else { return 0 }
            return days.reduce(0) { $0 | (1 << ($1 - 1)) }
        }

        /// As a gateway's schedule writes it; `.once` plays on `day`.
        func document(once day: LocalDate) -> LoaSchedule.Recurrence {
            switch self {
            case .once: return .once(day)
            case .daily: return .daily
            case .weekly(let days): return .weekly(Set(days.compactMap(Weekday.init(rawValue:))))
            }
        }

        init?(name: String, weekdayMask: Int) {
            switch name {
            case "once": self = .once
            case "daily": self = .daily
            case "weekly": self = .weekly(Set((1...7).filter { weekdayMask & (1 << ($0 - 1)) != 0 }))
            default: return nil
            }
        }
    }

    public var bulletinSHA256: String
    public var target: BroadcastTarget
    public var recurrence: Recurrence
    public var timeOfDay: TimeOfDay
    /// For `.once`, the day it plays.
    public var validFrom: LocalDate
    public var validTo: LocalDate?
    public var priority: UInt8

    /// The middle of the "scheduled" band (50–99) of LoaSchedule's `Priority`. It used to be 100,
    /// which sits in the announcement band, so a routine bulletin would have competed with an
    /// operator's announcement.
    public static let defaultPriority: UInt8 = 60
    /// How many times the bulletin plays back to back at each occurrence.
    public var repeatCount: Int
    public var onBusy: BusyPolicy
    public var onInterrupt: InterruptPolicy

    public init(
        bulletinSHA256: String, target: BroadcastTarget, recurrence: Recurrence, timeOfDay: TimeOfDay,
        validFrom: LocalDate, validTo: LocalDate? = nil, priority: UInt8 = ScheduleRule.defaultPriority, repeatCount: Int = 1,
        onBusy: BusyPolicy = .queue, onInterrupt: InterruptPolicy = .resume
    ) {
        self.bulletinSHA256 = bulletinSHA256
        self.target = target
        self.recurrence = recurrence
        self.timeOfDay = timeOfDay
        self.validFrom = validFrom
        self.validTo = validTo
        self.priority = priority
        self.repeatCount = repeatCount
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
    }
}
