import Foundation
import Testing
@testable import LoaSchedule

@Suite struct ExpansionTests {
    typealias F = Fixture

    static func expand(_ entries: [ScheduleEntry], _ start: Date, _ end: Date, zone: String = "Asia/Ho_Chi_Minh") throws -> [Occurrence] {
        try GatewaySchedule(version: 1, timeZone: zone, entries: entries).occurrences(in: DateInterval(start: start, end: end))
    }

    @Test func dailyAt0630HanoiIs2330UTCTheDayBefore() throws {
        let plays = try Self.expand([F.entry("sang", .daily, 6, 30)], F.utc(2026, 12, 1, 0, 0), F.utc(2026, 12, 3, 0, 0))
        #expect(plays.map(\.start) == [F.utc(2026, 12, 1, 23, 30), F.utc(2026, 12, 2, 23, 30)])
        #expect(plays.first?.id == "sang@\(Int(F.utc(2026, 12, 1, 23, 30).timeIntervalSince1970))#0")
    }

    @Test func acrossMonthAndYearBoundariesInHanoi() throws {
        let entry = F.entry("toi", .daily, 23, 45, from: F.day(2026, 12, 30), to: F.day(2027, 1, 2))
        let plays = try Self.expand([entry], F.hanoiTime(2026, 12, 1, 0, 0), F.hanoiTime(2027, 2, 1, 0, 0))
        #expect(plays.map(\.start) == [
            F.hanoiTime(2026, 12, 30, 23, 45), F.hanoiTime(2026, 12, 31, 23, 45),
            F.hanoiTime(2027, 1, 1, 23, 45), F.hanoiTime(2027, 1, 2, 23, 45),
        ])
        let resolver = LocalTimeResolver(rules: try! ZoneRules.named("Asia/Ho_Chi_Minh"))
        // 31 Dec 23:45 in Hanoi is still 2026 locally although it is 16:45 UTC.
        #expect(resolver.localDate(of: plays[1].start) == F.day(2026, 12, 31))
        let endOfFebruary = F.entry("feb", .daily, 0, 15, from: F.day(2028, 2, 28), to: F.day(2028, 3, 1))
        #expect(try Self.expand([endOfFebruary], F.hanoiTime(2028, 2, 1, 0, 0), F.hanoiTime(2028, 4, 1, 0, 0)).count == 3)
    }

    @Test(arguments: [
        // (weekdays, expected local days in the week of Mon 2026-11-30 … Sun 2026-12-06)
        ([Weekday.monday, .wednesday, .friday], [30, 2, 4]),
        ([.sunday], [6]),
        ([.saturday, .sunday], [5, 6]),
        (Weekday.allCases, [30, 1, 2, 3, 4, 5, 6]),
    ] as [([Weekday], [Int])])
    func weeklyOnChosenDays(days: [Weekday], expected: [Int]) throws {
        let plays = try Self.expand([F.entry("w", .weekly(Set(days)), 7, 0)], F.hanoiTime(2026, 11, 30, 0, 0), F.hanoiTime(2026, 12, 7, 0, 0))
        let resolver = LocalTimeResolver(rules: try! ZoneRules.named("Asia/Ho_Chi_Minh"))
        #expect(plays.map { resolver.localDate(of: $0.start).day } == expected)
    }

    @Test func validityRangeIsInclusiveAtBothEnds() throws {
        let entry = F.entry("r", .daily, 12, 0, from: F.day(2026, 12, 5), to: F.day(2026, 12, 7))
        let plays = try Self.expand([entry], F.hanoiTime(2026, 12, 1, 0, 0), F.hanoiTime(2026, 12, 31, 0, 0))
        #expect(plays.map(\.start) == [5, 6, 7].map { F.hanoiTime(2026, 12, $0, 12, 0) })
    }

    @Test func onceOnItsDayOnly() throws {
        let entry = F.entry("o", .once(F.day(2027, 1, 1)), 0, 0)
        let plays = try Self.expand([entry], F.hanoiTime(2026, 12, 1, 0, 0), F.hanoiTime(2027, 12, 1, 0, 0))
        #expect(plays.map(\.start) == [F.hanoiTime(2027, 1, 1, 0, 0)])
    }

    @Test func repeatCountPlaysBackToBack() throws {
        let entry = F.entry("lap", .daily, 6, 0, seconds: 90, repeats: 3)
        let plays = try Self.expand([entry], F.hanoiTime(2026, 12, 1, 0, 0), F.hanoiTime(2026, 12, 2, 0, 0))
        #expect(plays.map(\.start) == [F.hanoiTime(2026, 12, 1, 6, 0), F.hanoiTime(2026, 12, 1, 6, 1, 30), F.hanoiTime(2026, 12, 1, 6, 3, 0)])
        #expect(plays.map(\.repeatIndex) == [0, 1, 2])
        #expect(Set(plays.map(\.id)).count == 3)
    }

    @Test func intervalIsHalfOpenAndCutsThroughRepeats() throws {
        let entry = F.entry("lap", .daily, 6, 0, seconds: 60, repeats: 3)
        let plays = try Self.expand([entry], F.hanoiTime(2026, 12, 1, 6, 1), F.hanoiTime(2026, 12, 1, 6, 2))
        #expect(plays.map(\.repeatIndex) == [1])
    }

    @Test func sortedByStartThenPriority() throws {
        let low = F.entry("a-low", .daily, 8, 0, priority: 55)
        let high = F.entry("z-high", .daily, 8, 0, priority: 90)
        let early = F.entry("early", .daily, 7, 0)
        let plays = try Self.expand([low, high, early], F.hanoiTime(2026, 12, 1, 0, 0), F.hanoiTime(2026, 12, 2, 0, 0))
        #expect(plays.map(\.entryId) == ["early", "z-high", "a-low"])
    }

    @Test func aYearOfDailyEntriesExpandsQuickly() throws {
        let entries = (0..<10).map { F.entry("e\($0)", .daily, 5 + $0, 0) }
        let clock = ContinuousClock()
        var plays: [Occurrence] = []
        let elapsed = try clock.measure {
            plays = try Self.expand(entries, F.hanoiTime(2027, 1, 1, 0, 0), F.hanoiTime(2028, 1, 1, 0, 0))
        }
        #expect(plays.count == 3650)
        #expect(elapsed < .seconds(2))
    }

    @Test func unknownZoneThrows() {
        #expect(throws: ScheduleValidationError.unknownTimeZone("Mars/Olympus")) {
            _ = try Self.expand([F.entry("x", .daily, 6, 0)], F.t0, F.at(86_400), zone: "Mars/Olympus")
        }
    }
}

@Suite struct LocalTimeResolverTests {
    let newYork = LocalTimeResolver(rules: try! ZoneRules.named("America/New_York"))

    @Test func gapTimeMovesForwardByTheGap() {
        // 02:30 does not exist on 2026-03-08; read with EST (−5) it is 07:30 UTC = 03:30 EDT.
        #expect(newYork.resolve(Fixture.day(2026, 3, 8), LocalTime(hour: 2, minute: 30)) ==
            .nonexistent(shifted: Fixture.utc(2026, 3, 8, 7, 30)))
    }

    @Test func repeatedTimeUsesTheEarlierInstant() {
        // 01:30 happens twice on 2026-11-01: 05:30 UTC (EDT) and 06:30 UTC (EST).
        let resolution = newYork.resolve(Fixture.day(2026, 11, 1), LocalTime(hour: 1, minute: 30))
        #expect(resolution == .ambiguous(earlier: Fixture.utc(2026, 11, 1, 5, 30), later: Fixture.utc(2026, 11, 1, 6, 30)))
        #expect(resolution.instant == Fixture.utc(2026, 11, 1, 5, 30))
    }

    @Test func dailyEntryAcrossTheGapPlaysOncePerDay() throws {
        let entry = Fixture.entry("dem", .daily, 2, 30)
        let plays = try ExpansionTests.expand([entry], Fixture.utc(2026, 3, 7, 0, 0), Fixture.utc(2026, 3, 10, 0, 0), zone: "America/New_York")
        #expect(plays.map(\.start) == [Fixture.utc(2026, 3, 7, 7, 30), Fixture.utc(2026, 3, 8, 7, 30), Fixture.utc(2026, 3, 9, 6, 30)])
    }

    @Test func hanoiIsAlwaysExact() {
        let hanoi = LocalTimeResolver(rules: try! ZoneRules.named("Asia/Ho_Chi_Minh"))
        #expect(hanoi.resolve(Fixture.day(2026, 12, 2), LocalTime(hour: 6, minute: 30)) == .exact(Fixture.utc(2026, 12, 1, 23, 30)))
    }

    @Test(arguments: [(1970, 1, 1, 0), (2000, 3, 1, 11_017), (2026, 12, 31, 20_818), (1969, 12, 31, -1)])
    func dayArithmetic(y: Int, m: Int, d: Int, days: Int) {
        let date = LocalDate(year: y, month: m, day: d)
        #expect(date.daysSinceEpoch == days)
        #expect(LocalDate(daysSinceEpoch: days) == date)
    }
}
