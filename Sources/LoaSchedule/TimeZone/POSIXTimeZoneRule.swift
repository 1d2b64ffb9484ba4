/// A POSIX TZ string as a TZif footer carries it (RFC 8536 §3.3, with its version 3
/// extensions: transition times from −167 to 167 hours): `<+07>-7` (a fixed offset),
/// `CET-1CEST,M3.5.0,M10.5.0/3`, `EST5EDT,M3.2.0,M11.1.0`. Offsets are POSIX's, west of
/// Greenwich positive; held here as UT offsets, east positive.
struct POSIXTimeZoneRule: Sendable, Equatable {
    /// A transition date of the rule: `Jn` (1–365, 29 February never counted), `n` (0–365,
    /// counted), `Mm.w.d` (day d of week w of month m; week 5 is the last).
    enum Day: Sendable, Equatable {
        case julianNoLeap(Int)
        case zeroBased(Int)
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    struct Transition: Sendable, Equatable {
        var day: Day
        /// Local time of day (in the time then in force), seconds; may be negative or past 24 h.
        var seconds: Int
    }

    var standardOffset: Int
    /// With daylight saving: its offset and when it starts and ends.
    var daylight: (offset: Int, start: Transition, end: Transition)?

    static func == (a: Self, b: Self) -> Bool {
        a.standardOffset == b.standardOffset && a.daylight?.offset == b.daylight?.offset
            && a.daylight?.start == b.daylight?.start && a.daylight?.end == b.daylight?.end
    }

    init(parsing text: String) throws(TZifParser.Failure) {
        var scanner = Scanner(Array(text.utf8))
        try scanner.name()
        standardOffset = -(try scanner.offset())
        guard !scanner.atEnd else { daylight = nil; return }
        try scanner.name()
        var dst = standardOffset + 3600
        if let next = scanner.peek, next != UInt8(ascii: ",") { dst = -(try scanner.offset()) }
        guard scanner.eat(",") else { throw TZifParser.Failure("daylight saving without its rule") }
        let start = try scanner.transition()
        guard scanner.eat(",") else { throw TZifParser.Failure("daylight saving without its end") }
        let end = try scanner.transition()
        guard scanner.atEnd else { throw TZifParser.Failure("text after the rule") }
        daylight = (dst, start, end)
    }

    /// The UT offset at `secondsSince1970`.
    func offset(at secondsSince1970: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let year = Self.year(ofDay: Int(floorDivide(secondsSince1970 + Int64(standardOffset), 86_400)))
        // The rule's transitions are in local time: the start in standard time, the end in daylight time.
        let start = Int64(Self.day(daylight.start.day, year: year)) * 86_400 + Int64(daylight.start.seconds) - Int64(standardOffset)
        let end = Int64(Self.day(daylight.end.day, year: year)) * 86_400 + Int64(daylight.end.seconds) - Int64(daylight.offset)
        let inDaylight = start < end ? (start <= secondsSince1970 && secondsSince1970 < end)
            : (secondsSince1970 < end || secondsSince1970 >= start)  // southern hemisphere: across the new year
        return inDaylight ? daylight.offset : standardOffset
    }

    /// Days since 1970-01-01 of the rule's day in `year`.
    static func day(_ day: Day, year: Int) -> Int {
        let january1 = LocalDate(year: year, month: 1, day: 1).daysSinceEpoch
        let leap = isLeap(year)
        switch day {
        case .julianNoLeap(let n):
            return january1 + n - 1 + (leap && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            return january1 + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = LocalDate(year: year, month: month, day: 1).daysSinceEpoch
            let firstWeekday = ((first + 4) % 7 + 7) % 7  // 0 = Sunday; 1970-01-01 was a Thursday (4)
            var day = first + (weekday - firstWeekday + 7) % 7 + 7 * (week - 1)
            let length = monthLength(month, leap: leap)
            while day - first >= length { day -= 7 }
            return day
        }
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func monthLength(_ month: Int, leap: Bool) -> Int {
        [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// The Gregorian year of a day counted from 1970-01-01.
    static func year(ofDay day: Int) -> Int {
        var year = 1970 + day / 366
        while LocalDate(year: year + 1, month: 1, day: 1).daysSinceEpoch <= day { year += 1 }
        while LocalDate(year: year, month: 1, day: 1).daysSinceEpoch > day { year -= 1 }
        return year
    }

    private struct Scanner {
        let bytes: [UInt8]
        var at = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { at >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[at] }

        mutating func eat(_ character: Character) -> Bool {
            guard let peek, peek == character.asciiValue else { return false }
            at += 1
            return true
        }

        /// `CET` (three or more letters) or `<+07>` (quoted).
        mutating func name() throws(TZifParser.Failure) {
            if eat("<") {
                while let peek, peek != UInt8(ascii: ">") { at += 1 }
                guard eat(">") else { throw TZifParser.Failure("unterminated <name>") }
                return
            }
            let start = at
            while let peek, (peek >= 65 && peek <= 90) || (peek >= 97 && peek <= 122) { at += 1 }
            guard at - start >= 3 else { throw TZifParser.Failure("zone abbreviation missing") }
        }

        /// `[+-]hh[:mm[:ss]]`, hours up to 167, in seconds.
        mutating func offset() throws(TZifParser.Failure) -> Int {
            var sign = 1
            if eat("-") { sign = -1 } else { _ = eat("+") }
            let hours = try number(max: 167)
            var seconds = hours * 3600
            if eat(":") {
                seconds += try number(max: 59) * 60
                if eat(":") { seconds += try number(max: 59) }
            }
            return sign * seconds
        }

        mutating func number(max: Int) throws(TZifParser.Failure) -> Int {
            var value = 0, digits = 0
            while let peek, peek >= 48 && peek <= 57, digits < 3 {
                value = value * 10 + Int(peek - 48)
                digits += 1
                at += 1
            }
            guard digits > 0, value <= max else { throw TZifParser.Failure("a number (0–\(max)) expected at character \(at + 1)") }
            return value
        }

        mutating func transition() throws(TZifParser.Failure) -> Transition {
            let day: Day
            if eat("J") {
                let n = try number(max: 365)
                guard n >= 1 else { throw TZifParser.Failure("J0 is not a day") }
                day = .julianNoLeap(n)
            } else if eat("M") {
                let month = try number(max: 12)
                guard month >= 1, eat(".") else { throw TZifParser.Failure("Mm.w.d expected") }
                let week = try number(max: 5)
                guard week >= 1, eat(".") else { throw TZifParser.Failure("Mm.w.d expected") }
                day = .monthWeekDay(month: month, week: week, weekday: try number(max: 6))
            } else {
                day = .zeroBased(try number(max: 365))
            }
            return Transition(day: day, seconds: eat("/") ? try offset() : 7200)
        }
    }
}

/// Division rounding toward minus infinity.
func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}
