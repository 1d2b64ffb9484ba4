import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

struct StartAlignmentTests {
    let t = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func idleOutputWaitsRunningOutputPadsLateStartsAtOnce() {
        // Idle card, 250 ms early: wait, then write.
        #expect(StartAlignment.plan(target: t, now: t - 0.25, queuedFrames: 0, sampleRate: 24_000) == .wait(seconds: 0.25))
        // Running card with 100 ms queued, 250 ms early: 150 ms of silence keeps it fed and on time.
        #expect(StartAlignment.plan(target: t, now: t - 0.25, queuedFrames: 2_400, sampleRate: 24_000) == .silence(frames: 3_600))
        // 300 ms queued but only 250 ms to go: the queue alone makes it 50 ms late.
        #expect(StartAlignment.plan(target: t, now: t - 0.25, queuedFrames: 7_200, sampleRate: 24_000) == .late(ms: 50))
        #expect(StartAlignment.plan(target: t, now: t + 0.04, queuedFrames: 0, sampleRate: 48_000) == .late(ms: 40))
        #expect(StartAlignment.plan(target: t, now: t - 0.0004, queuedFrames: 0, sampleRate: 24_000) == .now)
    }
}

/// The player plans `startLead` ahead; the renderer holds the first sample until the instant.
struct StartLeadTests {
    @Test func soundIsHeldUntilTheInstantAndLoggedAtIt() throws {
        let directory = TemporaryDirectory("lead")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 0.5)
        try bulletin.store(in: state.cache)
        let due = Date(timeIntervalSince1970: 1_800_000_010)
        let clock = ManualClock(due - 5)
        let output = MemoryAudioOutput()
        let player = PlayerService(configuration: PlayoutConfiguration(amplifierPreRollMs: 1_000, amplifierIdleOffMs: 5_000),
                                   clock: GatewayClock(localNow: clock.function), cache: state.cache, output: output,
                                   amplifier: RecordingAmplifier(output: output, clock: clock), log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox),
                                   logger: .quiet, startLead: 0.3)
        player.post(.schedule(TestSchedule.make(version: 1, entries: [("ban-tin-sang", due, bulletin)])))
        player.turn()
        clock.advance(by: 3.7)  // due − 1.3 s: the planner (0.3 s ahead) switches the amplifier on
        player.turn()
        #expect(player.status.amplifierOn)
        clock.advance(by: 1)    // due − 0.3 s: the planner starts the item; the renderer waits
        let started = Date()
        player.turn()
        #expect(player.status.nowPlaying != nil)
        let deadline = Date().addingTimeInterval(5)
        while output.samples.isEmpty && Date() < deadline { usleep(2_000) }
        let held = Date().timeIntervalSince(started)
        #expect(held >= 0.25, "first sample written \(held) s after the start, before the instant")
        repeat {
            player.turn()
            usleep(5_000)
        } while !output.events.contains(.drain) && Date() < deadline
        player.turn()
        #expect(output.samples.count == bulletin.decodedFrames)
        let events = try state.loggedEvents()
        #expect(events.first?.kind == .started && events.first?.at == Int64(due.timeIntervalSince1970 * 1000))
    }
}
