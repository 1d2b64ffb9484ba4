/// When a schedule entry plays; the time of day is the entry's `time`.
///
/// JSON: `{"type":"once","date":"2026-12-01"}`, `{"type":"daily"}` or
/// `{"type":"weekly","weekdays":[1,3,5]}` (ISO weekdays, always written sorted so the
/// canonical encoding does not depend on set order).
public enum Recurrence: Hashable, Sendable {
    /// A single play on `date` at the entry's time.
    case once(LocalDate)
    /// Every day of the entry's validity range.
    case daily
    /// On the given weekdays of the entry's validity range.
    case weekly(Set<Weekday>)

    /// True when this recurrence plays on `date` (validity range aside).
    public func plays(on date: LocalDate) -> Bool {
        switch self {
        case .once(let day): return day == date
        case .daily: return true
        case .weekly(let days): return days.contains(date.weekday)
        }
    }
}

extension Recurrence: Codable {
    private enum CodingKeys: String, CodingKey { case type, date, weekdays }
    private enum Kind: String, Codable { case once, daily, weekly }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .once: self = .once(try container.decode(LocalDate.self, forKey: .date))
        case .daily: self = .daily
        case .weekly: self = .weekly(Set(try container.decode([Weekday].self, forKey: .weekdays)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .once(let date):
            try container.encode(Kind.once, forKey: .type)
            try container.encode(date, forKey: .date)
        case .daily:
            try container.encode(Kind.daily, forKey: .type)
        case .weekly(let days):
            try container.encode(Kind.weekly, forKey: .type)
            try container.encode(days.sorted(), forKey: .weekdays)
        }
    }
}
