import Foundation
import Testing
@testable import LoaController
import LoaSchedule

/// ScheduleInput → ScheduleRule: everything a person could get wrong gets a 422 that says what.
struct ScheduleInputTests {
    static let sha = String(repeating: "ab", count: 32)

    func input(recurrence: String = "daily", days: [Int]? = nil, at: String = "06:30", from: String = "2026-12-01",
               until: String? = nil, priority: Int? = nil, repeatCount: Int? = nil) -> ScheduleInput {
        ScheduleInput(bulletin: Self.sha, areas: ["xa-tan-lap"], gateways: nil, recurrence: recurrence, days: days, at: at,
                      from: from, until: until, priority: priority, repeat: repeatCount, onBusy: nil, onInterrupt: nil)
    }

    func refusal(_ input: ScheduleInput) -> String? {
        do { _ = try input.rule(); return nil } catch { return error.code == "validation_failed" ? error.message : "wrong code \(error)" }
    }

    @Test func aGoodInputWithDefaults() throws {
        let rule = try input(recurrence: "weekly", days: [1, 3, 5], at: "17:05:30", until: "2026-12-31").rule()
        #expect(rule.recurrence == .weekly([1, 3, 5]))
        #expect(rule.timeOfDay == TimeOfDay(hour: 17, minute: 5, second: 30))
        #expect(rule.validTo == LocalDate(year: 2026, month: 12, day: 31))
        #expect(rule.priority == 60 && rule.repeatCount == 1 && rule.onBusy == .queue && rule.onInterrupt == .resume)
    }

    @Test(arguments: ["25:00", "24:00", "06:60", "06:30:60", "6:30", "06-30", "06:30:00:00", "", "ab:cd"])
    func timesThatDoNotExist(_ at: String) {
        #expect(refusal(input(at: at))?.contains("'at'") == true)
    }

    @Test(arguments: ["2026-02-30", "2026-13-01", "2025-02-29", "2026-2-3", "01/12/2026", "2026-00-10"])
    func datesThatDoNotExist(_ from: String) {
        #expect(refusal(input(from: from))?.contains("'from'") == true)
    }

    @Test func leapDayExists() throws {
        #expect(try input(from: "2028-02-29").rule().validFrom == LocalDate(year: 2028, month: 2, day: 29))
    }

    @Test func endingBeforeItStarts() {
        #expect(refusal(input(from: "2026-12-10", until: "2026-12-09"))?.contains("before 'from'") == true)
    }

    @Test func otherMistakes() {
        #expect(refusal(input(recurrence: "weekly"))?.contains("needs 'days'") == true)
        #expect(refusal(input(recurrence: "weekly", days: [0, 8]))?.contains("ISO weekdays") == true)
        #expect(refusal(input(recurrence: "daily", days: [1]))?.contains("only for weekly") == true)
        #expect(refusal(input(recurrence: "monthly"))?.contains("'recurrence'") == true)
        #expect(refusal(input(recurrence: "once", until: "2026-12-02"))?.contains("once") == true)
        #expect(refusal(input(priority: 300))?.contains("'priority'") == true)
        #expect(refusal(input(repeatCount: 0))?.contains("'repeat'") == true)
        var noTarget = input()
        noTarget.areas = []
        #expect(refusal(noTarget)?.contains("at least one target") == true)
    }
}
