/// One line of a gateway's schedule: what plays, when, how often, and how it competes.
///
/// JSON (keys sorted in the canonical form; `validFrom` / `validTo` omitted when open):
/// ```
/// {"content":{…},"id":"ban-tin-sang","onBusy":"queue","onInterrupt":"resume","priority":60,
///  "recurrence":{"type":"daily"},"repeatCount":1,"time":"06:30:00",
///  "validFrom":"2026-12-01","validTo":"2026-12-31"}
/// ```
/// Missing `priority`, `repeatCount`, `onBusy`, `onInterrupt`, `offsetMs` decode to their defaults.
///
/// A program (a block of items played back to back) is one entry per item, all with the
/// program's time and recurrence, each with `offsetMs`: where in the block it starts (omitted
/// when 0, so documents without programs are byte-for-byte what they were).
public struct ScheduleEntry: Hashable, Sendable {
    /// Stable id chosen by the controller; occurrence ids are built from it.
    public var id: String
    public var content: Content
    public var recurrence: Recurrence
    /// Local time of day of the first play (`"time"`).
    public var time: LocalTime
    /// First local day on which the entry may play, inclusive; nil = no lower bound.
    public var validFrom: LocalDate?
    /// Last local day on which the entry may play, inclusive; nil = no upper bound.
    public var validTo: LocalDate?
    /// Plays per occurrence, back to back (≥ 1; what the controller lets a user set is
    /// `repeatCountLimit`, but a gateway plays any count it is sent).
    public var repeatCount: Int

    /// The repeat counts the controller's API, CLI and store accept.
    public static let repeatCountLimit = 1...10
    public var priority: Priority
    public var onBusy: OnBusy
    public var onInterrupt: OnInterrupt
    /// The first play starts this long after `time` (a program's item: the items before it), ms.
    public var offsetMs: Int64
    /// Local days on which the entry does not play though its recurrence says so (a program's
    /// occurrence that plays in another shape that day, as `once` entries of its own).
    public var exceptDates: [LocalDate]
    /// How late a play may still start, ms (nil: its own duration). A program's items wait
    /// behind what preempted them for as long as the program lasts and more, so that after an
    /// emergency the program goes on instead of losing its later items.
    public var lateToleranceMs: Int64?

    /// An offset is at most a day: a program longer than that is not a program.
    public static let offsetLimitMs: ClosedRange<Int64> = 0...86_400_000

    public init(
        id: String, content: Content, recurrence: Recurrence, time: LocalTime,
        validFrom: LocalDate? = nil, validTo: LocalDate? = nil, repeatCount: Int = 1,
        priority: Priority = .scheduled, onBusy: OnBusy = .queue, onInterrupt: OnInterrupt = .resume, offsetMs: Int64 = 0,
        exceptDates: [LocalDate] = [], lateToleranceMs: Int64? = nil
    ) {
        self.id = id
        self.content = content
        self.recurrence = recurrence
        self.time = time
        self.validFrom = validFrom
        self.validTo = validTo
        self.repeatCount = repeatCount
        self.priority = priority
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
        self.offsetMs = offsetMs
        self.exceptDates = exceptDates.sorted()
        self.lateToleranceMs = lateToleranceMs
    }

    /// True when `date` lies within `validFrom … validTo` (both inclusive).
    public func isValid(on date: LocalDate) -> Bool {
        if let from = validFrom, date < from { return false }
        if let to = validTo, to < date { return false }
        return true
    }
}

extension ScheduleEntry: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, content, recurrence, time, validFrom, validTo, repeatCount, priority, onBusy, onInterrupt, offsetMs, exceptDates, lateToleranceMs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            content: try c.decode(Content.self, forKey: .content),
            recurrence: try c.decode(Recurrence.self, forKey: .recurrence),
            time: try c.decode(LocalTime.self, forKey: .time),
            validFrom: try c.decodeIfPresent(LocalDate.self, forKey: .validFrom),
            validTo: try c.decodeIfPresent(LocalDate.self, forKey: .validTo),
            repeatCount: try c.decodeIfPresent(Int.self, forKey: .repeatCount) ?? 1,
            priority: try c.decodeIfPresent(Priority.self, forKey: .priority) ?? .scheduled,
            onBusy: try c.decodeIfPresent(OnBusy.self, forKey: .onBusy) ?? .queue,
            onInterrupt: try c.decodeIfPresent(OnInterrupt.self, forKey: .onInterrupt) ?? .resume,
            offsetMs: try c.decodeIfPresent(Int64.self, forKey: .offsetMs) ?? 0,
            exceptDates: try c.decodeIfPresent([LocalDate].self, forKey: .exceptDates) ?? [],
            lateToleranceMs: try c.decodeIfPresent(Int64.self, forKey: .lateToleranceMs))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(content, forKey: .content)
        try c.encode(recurrence, forKey: .recurrence)
        try c.encode(time, forKey: .time)
        try c.encodeIfPresent(validFrom, forKey: .validFrom)
        try c.encodeIfPresent(validTo, forKey: .validTo)
        try c.encode(repeatCount, forKey: .repeatCount)
        try c.encode(priority, forKey: .priority)
        try c.encode(onBusy, forKey: .onBusy)
        try c.encode(onInterrupt, forKey: .onInterrupt)
        if offsetMs != 0 { try c.encode(offsetMs, forKey: .offsetMs) }
        if !exceptDates.isEmpty { try c.encode(exceptDates, forKey: .exceptDates) }
        try c.encodeIfPresent(lateToleranceMs, forKey: .lateToleranceMs)
    }
}
