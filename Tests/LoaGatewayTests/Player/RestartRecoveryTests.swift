import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

struct RestartRecoveryTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    func occurrence(_ policy: OnInterrupt, durationMs: Int64 = 60_000) -> Occurrence {
        Occurrence(entryId: "sang", start: Self.start, durationMs: durationMs, repeatIndex: 0,
                   content: Content(sha256: String(repeating: "a", count: 64), durationMs: durationMs, title: "t"),
                   priority: .scheduled, onBusy: .queue, onInterrupt: policy)
    }

    @Test func decidesByThePolicyOnlyWhileThePlayWouldSound() {
        let during = Self.start + 12.3456
        #expect(RestartRecovery.decide(occurrence(.resume), now: during) == .resume(fromMs: 12_345))
        #expect(RestartRecovery.decide(occurrence(.restart), now: during) == .restart)
        #expect(RestartRecovery.decide(occurrence(.drop), now: during) == .missed)
        #expect(RestartRecovery.decide(occurrence(.resume), now: Self.start) == nil, "due now: the normal path plays it")
        #expect(RestartRecovery.decide(occurrence(.resume), now: Self.start - 1) == nil)
        #expect(RestartRecovery.decide(occurrence(.resume), now: Self.start + 60) == nil, "over: left alone")
    }

    /// Found by the chaos test: killed just before a 6.3 s item, back 4.2 s into it with a 3 s
    /// amplifier pre-roll. The resume point is past the end, so nothing can sound: the play is
    /// missed, not silently dropped (before, the planner refused the resume and nothing was logged).
    @Test func aResumeThatTheWarmUpPushesPastTheEndIsMissed() throws {
        let item = occurrence(.resume, durationMs: 6_300)
        #expect(RestartRecovery.decide(item, now: Self.start + 4.2, warmUpMs: 3_000) == .missed)
        #expect(RestartRecovery.decide(item, now: Self.start + 4.2, warmUpMs: 2_000) == .resume(fromMs: 4_200))
        #expect(RestartRecovery.decide(item, now: Self.start + 4.2) == .resume(fromMs: 4_200), "amplifier already on")
        let down = Self.start - 0.5
        let plan = RestartRecovery.plan([item], journal: [:], lastAlive: down, now: Self.start + 4.2, warmUpMs: 3_000)
        #expect(plan.plays.isEmpty)
        #expect(plan.records.map(\.event.kind) == [.missed] && plan.records.first?.reason?.hasPrefix("reason=gateway-down") == true)
        #expect(plan.records.first?.event.at == Self.start)
        // A play that had started and was cut stays at its interrupted: no second end.
        let cut = PlayJournalEntry(itemId: item.id, state: .interrupted, transitions: 2, startedAt: Self.start, fromMs: 0,
                                   durationMs: 6_300, updatedAt: Self.start + 1)
        let again = RestartRecovery.plan([item], journal: [item.id: cut], lastAlive: down, now: Self.start + 4.2, warmUpMs: 3_000)
        #expect(again.plays.isEmpty && again.records.isEmpty)
    }

    func daily(_ id: String, at start: Date, durationMs: Int64, repeats: Int = 1, policy: OnInterrupt = .resume) -> ScheduleEntry {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: GatewaySchedule.defaultTimeZone)!
        let c = calendar.dateComponents([.hour, .minute, .second], from: start)
        let content = Content(sha256: String(repeating: "b", count: 64), durationMs: durationMs, title: "x")
        return ScheduleEntry(id: id, content: content, recurrence: .daily, time: LocalTime(hour: c.hour!, minute: c.minute!, second: c.second!),
                             repeatCount: repeats, onInterrupt: policy)
    }

    @Test func findsPlaysInProgressIncludingRepeats() throws {
        let schedule = GatewaySchedule(version: 1, entries: [daily("lap", at: Self.start, durationMs: 30_000, repeats: 3)])
        // 70 s in: the third repeat (from 60 s) is 10 s in. No alive mark: only what still sounds.
        let candidates = try RestartRecovery.candidates(schedule, lastAlive: nil, scheduleSince: nil, now: Self.start + 70)
        let plan = RestartRecovery.plan(candidates, journal: [:], lastAlive: nil, now: Self.start + 70)
        #expect(plan.records.isEmpty, "without a mark, ended repeats are left alone")
        #expect(plan.plays.count == 1)
        #expect(plan.plays.first?.0.repeatIndex == 2 && plan.plays.first?.1 == .resume(fromMs: 10_000))
        let later = try RestartRecovery.candidates(schedule, lastAlive: nil, scheduleSince: nil, now: Self.start + 95)
        #expect(RestartRecovery.plan(later, journal: [:], lastAlive: nil, now: Self.start + 95).plays.isEmpty)
    }

    /// Down from start − 10 s to start + 70 s: the first two repeats passed unlogged (missed),
    /// the third is resumed; a day's look-back finds nothing before the mark.
    @Test func marksWhatPassedWhileDownAsMissedOnce() throws {
        let schedule = GatewaySchedule(version: 1, entries: [daily("lap", at: Self.start, durationMs: 30_000, repeats: 3),
                                                             daily("toi", at: Self.start + 40, durationMs: 5_000, policy: .drop)])
        let down = Self.start - 10, now = Self.start + 70
        let candidates = try RestartRecovery.candidates(schedule, lastAlive: down, scheduleSince: Self.start - 86_400, now: now)
        var plan = RestartRecovery.plan(candidates, journal: [:], lastAlive: down, now: now)
        let t = Int(Self.start.timeIntervalSince1970)
        #expect(Set(plan.records.map(\.event.itemId)) == ["lap@\(t)#0", "lap@\(t + 30)#1", "toi@\(t + 40)#0"])
        #expect(plan.records.count == 3)
        #expect(plan.records.allSatisfy { $0.event.kind == .missed })
        #expect(plan.records.first?.reason == "reason=gateway-down down=\(Int64(down.timeIntervalSince1970) * 1000)-\(Int64(now.timeIntervalSince1970) * 1000)")
        #expect(plan.records.first?.event.at == Self.start, "logged at the instant it should have started")
        #expect(plan.plays.map(\.1) == [.resume(fromMs: 10_000)])
        // A second start finds them in the journal: nothing is recorded twice.
        var journal: [String: PlayJournalEntry] = [:]
        for record in plan.records {
            journal[record.event.itemId] = PlayJournalEntry.next(nil, itemId: record.event.itemId, transition: .missed, at: now)
        }
        plan = RestartRecovery.plan(candidates, journal: journal, lastAlive: down, now: now)
        #expect(plan.records.isEmpty && plan.plays.count == 1)
        // The stored schedule arrived after the first repeat: that one was never the gateway's.
        let arrived = try RestartRecovery.candidates(schedule, lastAlive: down, scheduleSince: Self.start + 20, now: now)
        #expect(RestartRecovery.plan(arrived, journal: [:], lastAlive: down, now: now).records.count == 2)
    }

    /// A play cut by the death is closed `interrupted` at the offset the mark shows; then its
    /// policy decides while it would still sound, and nothing more happens once it is over.
    @Test func closesCutPlaysThenFollowsTheirPolicy() throws {
        let started = try #require(PlayJournalEntry.next(nil, itemId: "a", transition: .started, at: Self.start, durationMs: 60_000))
        let records = RestartRecovery.close([started], lastAlive: Self.start + 5.2, now: Self.start + 9)
        #expect(records == [RestartRecovery.Record(event: PlayoutEvent(at: Self.start + 5.2, itemId: "a", kind: .interrupted(atMs: 5_200, by: "gateway-restart")),
                                                   reason: nil)])
        let cut = try #require(PlayJournalEntry.next(started, itemId: "a", transition: .interrupted, at: Self.start + 5.2))
        for (policy, expected) in [(OnInterrupt.resume, RestartRecovery.resume(fromMs: 9_000)), (.restart, .restart)] {
            let schedule = GatewaySchedule(version: 1, entries: [daily("a", at: Self.start, durationMs: 60_000, policy: policy)])
            let candidates = try RestartRecovery.candidates(schedule, lastAlive: Self.start + 5.2, scheduleSince: nil, now: Self.start + 9)
            let id = try #require(candidates.first?.id)
            let plan = RestartRecovery.plan(candidates, journal: [id: cut], lastAlive: Self.start + 5.2, now: Self.start + 9)
            #expect(plan.records.isEmpty && plan.plays.map(\.1) == [expected])
        }
        let dropped = GatewaySchedule(version: 1, entries: [daily("a", at: Self.start, durationMs: 60_000, policy: .drop)])
        let candidates = try RestartRecovery.candidates(dropped, lastAlive: Self.start + 5.2, scheduleSince: nil, now: Self.start + 9)
        let id = try #require(candidates.first?.id)
        let plan = RestartRecovery.plan(candidates, journal: [id: cut], lastAlive: Self.start + 5.2, now: Self.start + 9)
        #expect(plan.records.isEmpty && plan.plays.isEmpty, "drop: its `interrupted` is its outcome")
        let over = RestartRecovery.plan(candidates, journal: [id: cut], lastAlive: Self.start + 5.2, now: Self.start + 90)
        #expect(over.records.isEmpty && over.plays.isEmpty)
    }

    @Test func translatesTheMachinesPositions() {
        func kind(_ k: PlayoutEvent.Kind) -> PlayoutEvent.Kind {
            RestartRecovery.translate(PlayoutEvent(at: Self.start, itemId: "x", kind: k), offsetMs: 5_000).kind
        }
        #expect(kind(.started) == .resumed(fromMs: 5_000))
        #expect(kind(.resumed(fromMs: 1_000)) == .resumed(fromMs: 6_000))
        #expect(kind(.finished(atMs: 10_000)) == .finished(atMs: 15_000))
        #expect(kind(.interrupted(atMs: 2_000, by: "khan")) == .interrupted(atMs: 7_000, by: "khan"))
        #expect(kind(.stopped(atMs: 1)) == .stopped(atMs: 5_001))
        #expect(kind(.missed) == .missed)
    }

    /// A bulletin that began 1 s before the gateway came up plays its remainder from 1 s in
    /// (resume), and is logged resumed and finished at its full length.
    @Test func playerResumesAPlayThatBeganWhileItWasDown() throws {
        let directory = TemporaryDirectory("recover")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 3)
        try bulletin.store(in: state.cache)
        let due = Self.start
        let clock = ManualClock(due + 1)
        let output = MemoryAudioOutput()
        let player = PlayerService(configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 5_000),
                                   clock: GatewayClock(localNow: clock.function), cache: state.cache, output: output,
                                   amplifier: RecordingAmplifier(output: output, clock: clock), log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox),
                                   logger: .quiet)
        player.post(.schedule(TestSchedule.make(version: 1, entries: [("ban-tin-sang", due, bulletin)])))
        let deadline = Date().addingTimeInterval(5)
        repeat {
            player.turn()
            usleep(5_000)
        } while !output.events.contains(.drain) && Date() < deadline
        player.turn()
        #expect(output.samples.count == bulletin.decodedFrames - 24_000, "played \(output.samples.count) of \(bulletin.decodedFrames) frames")
        let decoded = try MP3Decoder.decodeAll(bulletin.bytes).int16Samples()
        #expect(Array(decoded.suffix(output.samples.count)) == output.samples)
        let events = try state.loggedEvents()
        #expect(events.map(\.kind) == [.resumed, .finished])
        #expect(events.first?.detail == "fromMs=1000")
        #expect(events.last?.detail == "atMs=\(bulletin.decodedFrames * 1000 / 24_000)")
    }

    @Test func dropPolicyLogsMissed() throws {
        let directory = TemporaryDirectory("recover")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 2)
        try bulletin.store(in: state.cache)
        var schedule = TestSchedule.make(version: 1, entries: [("ban-tin-sang", Self.start, bulletin)])
        schedule.entries[0].onInterrupt = .drop
        let clock = ManualClock(Self.start + 1)
        let output = MemoryAudioOutput()
        let player = PlayerService(configuration: PlayoutConfiguration(amplifierPreRollMs: 0), clock: GatewayClock(localNow: clock.function),
                                   cache: state.cache, output: output, amplifier: RecordingAmplifier(output: output, clock: clock),
                                   log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox), logger: .quiet)
        player.post(.schedule(schedule))
        player.turn()
        let events = try state.loggedEvents()
        #expect(events.map(\.kind) == [.dropped])
        #expect(events.first?.detail == "missed reason=gateway-down up=\(Int64(Self.start.timeIntervalSince1970 + 1) * 1000)")
        #expect(output.events.isEmpty)
    }
}
