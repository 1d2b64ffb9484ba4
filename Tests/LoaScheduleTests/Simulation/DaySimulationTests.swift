import Foundation
import Testing
@testable import LoaSchedule

/// A whole day in Hanoi through `PlayoutSimulation`: schedule, overlaps, an emergency, an
/// announcement, asserting the exact timeline, log and amplifier switchings.
@Suite struct DaySimulationTests {
    typealias F = Fixture
    static let day = DateInterval(start: F.hanoiTime(2026, 12, 2, 0, 0), end: F.hanoiTime(2026, 12, 3, 0, 0))
    static func t(_ h: Int, _ m: Int, _ s: Int = 0) -> Date { F.hanoiTime(2026, 12, 2, h, m, s) }
    static func play(_ entry: String, _ h: Int, _ m: Int, _ index: Int = 0) -> String {
        "\(entry)@\(Int(t(h, m).timeIntervalSince1970))#\(index)"
    }

    static let schedule = GatewaySchedule(version: 7, entries: [
        F.entry("ban-tin-sang", .daily, 6, 0, seconds: 600),
        // Two back-to-back 2-minute plays from 06:05, stuck behind the bulletin past their tolerance.
        F.entry("nhac-hieu", .daily, 6, 5, seconds: 120, repeats: 2),
        F.entry("thoi-tiet", .daily, 6, 9, seconds: 600),
        F.entry("ban-tin-toi", .weekly([.wednesday]), 18, 0, seconds: 300),
        ScheduleEntry(id: "tin-xa", content: F.content(seconds: 60), recurrence: .daily, time: LocalTime(hour: 18, minute: 1), onBusy: .drop),
        // Not on a Wednesday: never plays on 2026-12-02.
        F.entry("chu-nhat", .weekly([.sunday]), 9, 0),
    ])

    static let flood = PlayItem(id: "bao-lu", kind: .announcement, content: F.hash, priority: .emergency, durationMs: 180_000,
                                onBusy: .preempt, onInterrupt: .resume, due: t(6, 12))
    static let notice = PlayItem(id: "thong-bao", kind: .announcement, content: F.hash, priority: .announcement, durationMs: 60_000,
                                 onBusy: .queue, onInterrupt: .resume, due: t(18, 2), expiresAt: t(19, 0))

    @Test func theDayPlaysTheRightItemsAtTheRightInstants() throws {
        let result = try PlayoutSimulation().run(schedule: Self.schedule, extraItems: [Self.flood, Self.notice], interval: Self.day)
        let sang = Self.play("ban-tin-sang", 6, 0), weather = Self.play("thoi-tiet", 6, 9), evening = Self.play("ban-tin-toi", 18, 0)
        #expect(result.segments == [
            TimelineSegment(itemId: sang, start: Self.t(6, 0), end: Self.t(6, 10), fromMs: 0),
            TimelineSegment(itemId: weather, start: Self.t(6, 10), end: Self.t(6, 12), fromMs: 0),
            TimelineSegment(itemId: "bao-lu", start: Self.t(6, 12), end: Self.t(6, 15), fromMs: 0),
            TimelineSegment(itemId: weather, start: Self.t(6, 15), end: Self.t(6, 23), fromMs: 120_000),
            TimelineSegment(itemId: evening, start: Self.t(18, 0), end: Self.t(18, 5), fromMs: 0),
            TimelineSegment(itemId: "thong-bao", start: Self.t(18, 5), end: Self.t(18, 6), fromMs: 0),
        ])
        let expected: [(Date, String, PlayoutEvent.Kind)] = [
            (Self.t(6, 0), sang, .started),
            (Self.t(6, 7), Self.play("nhac-hieu", 6, 5, 0), .missed),
            (Self.t(6, 9), "nhac-hieu@\(Int(Self.t(6, 7).timeIntervalSince1970))#1", .missed),
            (Self.t(6, 10), sang, .finished(atMs: 600_000)),
            (Self.t(6, 10), weather, .started),
            (Self.t(6, 12), weather, .interrupted(atMs: 120_000, by: "bao-lu")),
            (Self.t(6, 12), "bao-lu", .started),
            (Self.t(6, 15), "bao-lu", .finished(atMs: 180_000)),
            (Self.t(6, 15), weather, .resumed(fromMs: 120_000)),
            (Self.t(6, 23), weather, .finished(atMs: 600_000)),
            (Self.t(18, 0), evening, .started),
            (Self.t(18, 1), Self.play("tin-xa", 18, 1), .dropped(reason: .busy)),
            (Self.t(18, 5), evening, .finished(atMs: 300_000)),
            (Self.t(18, 5), "thong-bao", .started),
            (Self.t(18, 6), "thong-bao", .finished(atMs: 60_000)),
        ]
        #expect(result.events == expected.map { PlayoutEvent(at: $0.0, itemId: $0.1, kind: $0.2) })
        #expect(result.amplifier == [
            AmplifierSwitch(at: Self.t(5, 59, 58), on: true), AmplifierSwitch(at: Self.t(6, 23, 30), on: false),
            AmplifierSwitch(at: Self.t(17, 59, 58), on: true), AmplifierSwitch(at: Self.t(18, 6, 30), on: false),
        ])
    }

    @Test func theSameInputGivesTheSameTimeline() throws {
        let a = try PlayoutSimulation().run(schedule: Self.schedule, extraItems: [Self.flood, Self.notice], interval: Self.day)
        let b = try PlayoutSimulation().run(schedule: Self.schedule, extraItems: [Self.notice, Self.flood], interval: Self.day)
        #expect(a == b)
    }

    @Test func liveBroadcastWithAShortAndALongSourceGap() {
        let live = PlayItem(id: "truc-tiep", kind: .live, priority: .live, durationMs: nil,
                            onBusy: .preempt, onInterrupt: .resume, due: Self.t(7, 0))
        let music = PlayItem(id: "nhac", kind: .relay, priority: .background, durationMs: 3_600_000,
                             onBusy: .queue, onInterrupt: .resume, due: Self.t(6, 30))
        let events: [SimulationEvent] = [
            .liveSourceLost(itemId: "truc-tiep", at: Self.t(7, 10)), .liveSourceBack(itemId: "truc-tiep", at: Self.t(7, 10, 3)),
            .liveSourceLost(itemId: "truc-tiep", at: Self.t(7, 20)), .liveSourceBack(itemId: "truc-tiep", at: Self.t(7, 25)),
            .stop(itemId: "truc-tiep", at: Self.t(7, 40)),
        ]
        let config = PlayoutConfiguration(amplifierPreRollMs: 0)
        let result = PlayoutSimulation(configuration: config).run(items: [live, music], events: events, interval: Self.day)
        #expect(result.segments == [
            TimelineSegment(itemId: "nhac", start: Self.t(6, 30), end: Self.t(7, 0), fromMs: 0),
            // The 3 s gap at 07:10 did not interrupt; the 5 min one at 07:20 fell back after 5 s.
            TimelineSegment(itemId: "truc-tiep", start: Self.t(7, 0), end: Self.t(7, 20, 5), fromMs: 0),
            TimelineSegment(itemId: "nhac", start: Self.t(7, 20, 5), end: Self.t(7, 25), fromMs: 1_800_000),
            TimelineSegment(itemId: "truc-tiep", start: Self.t(7, 25), end: Self.t(7, 40), fromMs: 0),
            TimelineSegment(itemId: "nhac", start: Self.t(7, 40), end: Self.t(8, 5, 5), fromMs: 2_095_000),
        ])
    }
}

extension DaySimulationTests {
    @Test func anAnnouncementPushedNowSoundsAfterThePreRoll() {
        let pushed = PlayItem(id: "tb-khan", kind: .announcement, priority: .announcement, durationMs: 30_000,
                              onBusy: .preempt, onInterrupt: .resume, due: Self.t(10, 0), expiresAt: Self.t(10, 30))
        let result = PlayoutSimulation().run(items: [], events: [.handIn(pushed, at: Self.t(10, 0))], interval: Self.day)
        #expect(result.amplifier == [AmplifierSwitch(at: Self.t(10, 0), on: true), AmplifierSwitch(at: Self.t(10, 1, 2), on: false)])
        #expect(result.segments == [TimelineSegment(itemId: "tb-khan", start: Self.t(10, 0, 2), end: Self.t(10, 0, 32), fromMs: 0)])
    }
}
