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

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool {
        a.secondsSinceMidnight < b.secondsSinceMidnight
    }
}
