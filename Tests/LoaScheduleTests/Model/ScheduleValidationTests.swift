import Foundation
import Testing
@testable import LoaSchedule

@Suite struct ScheduleValidationTests {
    static func schedule(_ entry: ScheduleEntry, zone: String = "Asia/Ho_Chi_Minh") -> GatewaySchedule {
        GatewaySchedule(version: 1, timeZone: zone, entries: [entry])
    }

    static let good = Fixture.entry("x", .daily, 6, 30, from: Fixture.day(2026, 12, 5), to: Fixture.day(2026, 12, 31))

    static func with(_ change: (inout ScheduleEntry) -> Void) -> ScheduleEntry {
        var entry = good
        change(&entry)
        return entry
    }

    @Test func aGoodScheduleHasNoProblems() {
        #expect(Self.schedule(Self.good).validate().isEmpty)
    }

    @Test(arguments: [
        (with { $0.validTo = Fixture.day(2026, 12, 1) },
         "schedule 'x': valid-to 2026-12-01 is before valid-from 2026-12-05"),
        (with { $0.recurrence = .weekly([]) },
         "schedule 'x': weekly with no weekdays chosen; choose at least one day"),
        (with { $0.repeatCount = 0 },
         "schedule 'x': repeat count 0 must be at least 1"),
        (with { $0.content.durationMs = 0 },
         "schedule 'x': content duration 0 ms must be more than 0; re-ingest the bulletin"),
        (with { $0.content.sha256 = "ABC" },
         "schedule 'x': content hash 'ABC' is not a SHA-256 (64 lowercase hex digits)"),
        (with { $0.content.sha256 = String(repeating: "G", count: 64) },
         "schedule 'x': content hash '\(String(repeating: "G", count: 64))' is not a SHA-256 (64 lowercase hex digits)"),
        (with { $0.time = LocalTime(hour: 24, minute: 0) },
         "schedule 'x': time 24:00:00 is not a time of day; use 00:00:00 to 23:59:59"),
        (with { $0.validFrom = Fixture.day(2026, 2, 30); $0.validTo = nil },
         "schedule 'x': valid-from 2026-02-30 is not a calendar date"),
        (with { $0.recurrence = .once(Fixture.day(2027, 1, 2)) },
         "schedule 'x': it plays once on 2027-01-02, outside its valid-from/valid-to range, so it would never play"),
    ] as [(ScheduleEntry, String)])
    func oneProblemEach(entry: ScheduleEntry, message: String) {
        #expect(Self.schedule(entry).validate().map(\.description) == [message])
    }

    @Test func aTimeInTheDaylightSavingGapIsRejected() {
        let entry = Fixture.entry("x", .once(Fixture.day(2026, 3, 8)), 2, 30)
        let errors = Self.schedule(entry, zone: "America/New_York").validate()
        #expect(errors == [.nonexistentLocalTime(entry: "x", date: Fixture.day(2026, 3, 8),
                                                 time: LocalTime(hour: 2, minute: 30), timeZone: "America/New_York")])
        #expect(errors.first?.description ==
            "schedule 'x': 2026-03-08 02:30:00 does not exist in America/New_York (clocks skip it for daylight saving); pick a time outside the gap")
        // The same wall-clock time in Hanoi (no DST) is fine.
        #expect(Self.schedule(entry).validate().isEmpty)
    }

    @Test func documentLevelProblems() {
        var schedule = GatewaySchedule(version: 1, entries: [Self.good, Self.good, Self.with { $0.id = "" }])
        #expect(schedule.validate() == [.duplicateEntryId("x"), .emptyEntryId(index: 2)])
        schedule.timeZone = "Asia/Ha_Noi"
        #expect(schedule.validate().map(\.description) ==
            ["schedule time zone 'Asia/Ha_Noi' is not a known IANA zone; use e.g. Asia/Ho_Chi_Minh"])
    }

    @Test func severalProblemsAreAllReported() {
        let entry = Self.with { $0.repeatCount = 0; $0.content.durationMs = -5 }
        #expect(Self.schedule(entry).validate() == [.repeatCountNotPositive(entry: "x", 0), .durationNotPositive(entry: "x", durationMs: -5)])
    }
}
