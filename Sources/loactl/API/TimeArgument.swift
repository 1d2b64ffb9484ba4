import Foundation

/// Times on the command line: an RFC 3339 time, a local date (`YYYY-MM-DD`, midnight in the
/// deployment's zone), `now`, or a duration from now — `+2h` ahead, `-30m` or `30m` back
/// (units s, m, h, d). Pure: `now` and the zone are given.
enum TimeArgument {
    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    static func parse(_ text: String, now: Date, zone: TimeZone = zone) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return now }
        if let date = rfc3339(trimmed) { return date }
        if let day = localMidnight(trimmed, zone: zone) { return day }
        var body = Substring(trimmed)
        var sign = -1.0
        if body.hasPrefix("+") { sign = 1; body = body.dropFirst() } else if body.hasPrefix("-") { body = body.dropFirst() }
        if let unit = body.last, let factor = ["s": 1.0, "m": 60, "h": 3600, "d": 86400][unit], let amount = Double(body.dropLast()),
           amount >= 0 {
            return now.addingTimeInterval(sign * amount * factor)
        }
        throw APIFailure.usage("'\(text)' is not a time: give RFC 3339 (2026-11-29T06:00:00Z), a date (2026-11-29), now, "
                               + "or a duration from now (+2h ahead; 30m, -1d back)")
    }

    /// RFC 3339 UTC with milliseconds, as the API writes and reads times.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")!
        return formatter.string(from: date)
    }

    static func rfc3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    static func localMidnight(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: components),
              calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: y, month: m, day: d) else { return nil }
        return date
    }

    /// The local date and time (`YYYY-MM-DD`, `HH:MM:SS`) `seconds` from `now`, for a one-off
    /// schedule "in 25 seconds".
    static func localDateAndTime(after seconds: Int, now: Date, zone: TimeZone = zone) -> (date: String, time: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now.addingTimeInterval(Double(seconds)))
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return ("\(c.year!)-\(two(c.month!))-\(two(c.day!))", "\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!))")
    }
}
