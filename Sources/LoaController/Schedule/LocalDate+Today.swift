import Foundation
import LoaSchedule

extension LocalDate {
    /// The day it is at `now` in `timeZone` (an IANA name, the deployment's `bulletins.time_zone`).
    public static func today(in timeZone: String, now: Date = Date()) -> LocalDate? {
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        guard let year = c.year, let month = c.month, let day = c.day else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}
