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

    @Test func findsPlaysInProgressIncludingRepeats() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: GatewaySchedule.defaultTimeZone)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Self.start)
        let content = Content(sha256: String(repeating: "b", count: 64), durationMs: 30_000, title: "x")
        let schedule = GatewaySchedule(version: 1, entries: [
            ScheduleEntry(id: "lap", content: content, recurrence: .daily, time: LocalTime(hour: c.hour!, minute: c.minute!, second: c.second!),
                          repeatCount: 3, onInterrupt: .resume),
        ])
        // 70 s in: the third repeat (from 60 s) is 10 s in.
        let found = try RestartRecovery.inProgress(schedule, now: Self.start + 70)
        #expect(found.count == 1)
        #expect(found.first?.0.repeatIndex == 2 && found.first?.1 == .resume(fromMs: 10_000))
        #expect(try RestartRecovery.inProgress(schedule, now: Self.start + 95).isEmpty)
    }

    @Test func translatesTheMachinesPositions() {
        func kind(_ k: LoaSchedule.PlayEvent.Kind) -> LoaSchedule.PlayEvent.Kind {
            RestartRecovery.translate(LoaSchedule.PlayEvent(at: Self.start, itemId: "x", kind: k), offsetMs: 5_000).kind
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
                                   amplifier: RecordingAmplifier(output: output, clock: clock), log: PlayLog(outbox: state.outbox),
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
                                   log: PlayLog(outbox: state.outbox), logger: .quiet)
        player.post(.schedule(schedule))
        player.turn()
        let events = try state.loggedEvents()
        #expect(events.map(\.kind) == [.dropped] && events.first?.detail == "missed")
        #expect(output.events.isEmpty)
    }
}
