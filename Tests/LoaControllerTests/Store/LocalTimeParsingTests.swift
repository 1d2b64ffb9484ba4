import Foundation
import Testing
@testable import LoaController
import LoaSchedule

/// Issue 12: `loa-controller admin schedule` parsed HH:MM itself (accepting "6:5") and took
/// "today" in a hard-coded zone; now the API's parser and the configured zone serve both.
@Suite struct LocalTimeParsingTests {
    @Test(arguments: [("06:30", 23_400), ("23:59:59", 86_399), ("00:00", 0)])
    func validTimes(text: String, seconds: Int) {
        #expect(TimeOfDay(parsing: text)?.secondsSinceMidnight == seconds)
    }

    @Test(arguments: ["6:30", "24:00", "12:60", "12:30:60", "12", "12:30:00:00", "１２:30", "", "12:3a"])
    func invalidTimes(text: String) {
        #expect(TimeOfDay(parsing: text) == nil, "\(text)")
    }

    @Test func todayIsTakenInTheGivenZone() {
        // 2026-12-31 20:00 UTC is already 2027-01-01 in Vietnam (UTC+7).
        let now = Date(timeIntervalSince1970: 1_798_747_200)
        #expect(LocalDate.today(in: "Asia/Ho_Chi_Minh", now: now) == LocalDate(year: 2027, month: 1, day: 1))
        #expect(LocalDate.today(in: "UTC", now: now) == LocalDate(year: 2026, month: 12, day: 31))
        #expect(LocalDate.today(in: "Not/AZone", now: now) == nil)
    }
}
