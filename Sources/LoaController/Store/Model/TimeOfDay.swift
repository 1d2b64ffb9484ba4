import LoaSchedule

/// A wall-clock time in the deployment's local time zone, to the second.
public struct TimeOfDay: Sendable, Equatable, Hashable, Comparable {
    /// 0 ..< 86 400.
    public var secondsSinceMidnight: Int

    public init(secondsSinceMidnight: Int) {
        self.secondsSinceMidnight = secondsSinceMidnight
    }

    public init(hour: Int, minute: Int, second: Int = 0) {
        self.secondsSinceMidnight = hour * 3600 + minute * 60 + second
    }

    /// `HH:MM` or `HH:MM:SS`, two digits each, a time that exists on a 24-hour clock; nil
    /// otherwise. The one parser of the API and `loa-controller admin schedule`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) ?? 99 : 0
        guard h < 24, m < 60, s < 60 else { return nil }
        self.init(hour: h, minute: m, second: s)
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool {
        a.secondsSinceMidnight < b.secondsSinceMidnight
    }

    /// As a gateway's schedule writes it.
    var localTime: LocalTime {
        LocalTime(hour: secondsSinceMidnight / 3600, minute: secondsSinceMidnight % 3600 / 60, second: secondsSinceMidnight % 60)
    }
}
