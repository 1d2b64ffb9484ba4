import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// A gateway killed (its player simply abandoned, nothing flushed or closed) and started again
/// on the same state directory: every occurrence ends in exactly one terminal record.
@Suite struct KillRecoveryTests {
    static let due = Date(timeIntervalSince1970: 1_800_000_000)

    struct Gateway {
        let directory = TemporaryDirectory("kill")
        let bulletin: TestBulletin
        let schedule: GatewaySchedule

        init(policy: OnInterrupt, seconds: Double = 3) throws {
            bulletin = try TestBulletin.make(seconds: seconds)
            var schedule = TestSchedule.make(version: 1, entries: [("ban-tin", KillRecoveryTests.due, bulletin)])
            schedule.entries[0].onInterrupt = policy
            self.schedule = schedule
        }

        /// A fresh process: new state handles on the same directory, the clock at `at`.
        func start(at: Date) throws -> (PlayerService, LocalState, MemoryAudioOutput) {
            let state = try LocalState(root: directory.path, logger: .quiet)
            try bulletin.store(in: state.cache)
            let clock = ManualClock(at)
            let output = MemoryAudioOutput()
            let player = PlayerService(configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 5_000),
                                       clock: GatewayClock(localNow: clock.function), cache: state.cache, output: output,
                                       amplifier: RecordingAmplifier(output: output, clock: clock), log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox),
                                       logger: .quiet, alive: state.alive)
            player.post(.schedule(schedule))
            return (player, state, output)
        }

        /// Starts, logs `started`, leaves the alive mark `soundedFor` later, and dies.
        func playAndDie(soundedFor: TimeInterval) throws {
            let (player, state, _) = try start(at: KillRecoveryTests.due)
            player.turn()
            #expect(try state.loggedEvents().map(\.kind) == [.started])
            state.alive.write(KillRecoveryTests.due + soundedFor)
        }

        func events() throws -> [LoaProtocol.PlayEvent] {
            try LocalState(root: directory.path, logger: .quiet).loggedEvents()
        }
    }

    @Test func resumeClosesTheCutPlayThenPlaysTheRest() throws {
        let gateway = try Gateway(policy: .resume)
        try gateway.playAndDie(soundedFor: 1)
        let (player, _, output) = try gateway.start(at: Self.due + 2)
        player.turn(until: { output.events.contains(.drain) && player.status.nowPlaying == nil })
        player.turn()
        let events = try gateway.events()
        #expect(events.map(\.kind) == [.started, .interrupted, .resumed, .finished])
        #expect(events[1].detail == "atMs=1000 by=gateway-restart" && events[1].at == 1_800_000_001_000)
        #expect(events[2].detail == "fromMs=2000")
        #expect(Set(events.map(\.id)).count == 4)
    }

    @Test func restartClosesTheCutPlayThenPlaysItAgainFromTheStart() throws {
        let gateway = try Gateway(policy: .restart)
        try gateway.playAndDie(soundedFor: 1.5)
        let (player, _, output) = try gateway.start(at: Self.due + 2)
        player.turn(until: { output.events.contains(.drain) && player.status.nowPlaying == nil })
        player.turn()
        let events = try gateway.events()
        #expect(events.map(\.kind) == [.started, .interrupted, .started, .finished])
        #expect(events[1].detail == "atMs=1500 by=gateway-restart")
        #expect(events[2].detail == "restarted")
        #expect(output.samples.count == gateway.bulletin.decodedFrames, "the whole item again")
    }

    /// Killed twice in a row with `drop`: the cut is its outcome, logged once.
    @Test func dropKeepsOneInterruptedAcrossSuccessiveKills() throws {
        let gateway = try Gateway(policy: .drop)
        try gateway.playAndDie(soundedFor: 1)
        for second in [2.0, 2.5] {
            let (player, _, output) = try gateway.start(at: Self.due + second)
            player.turn()
            #expect(output.samples.isEmpty)
        }
        #expect(try gateway.events().map(\.kind) == [.started, .interrupted])
    }

    /// Down across the whole window: `missed` with the outage, once however often it restarts.
    @Test func aWindowThatPassedWhileDownIsMissedOnce() throws {
        let gateway = try Gateway(policy: .resume)
        do {
            let (player, state, _) = try gateway.start(at: Self.due - 30)
            player.turn()
            state.alive.write(Self.due - 5)
        }
        for second in [10.0, 11.0] {
            let (player, _, output) = try gateway.start(at: Self.due + second)
            player.turn()
            #expect(output.samples.isEmpty)
        }
        let events = try gateway.events()
        #expect(events.map(\.kind) == [.dropped])
        #expect(events.first?.detail == "missed reason=gateway-down down=1799999995000-1800000010000")
        #expect(events.first?.at == 1_800_000_000_000)
    }

    /// A start with nothing left open and nothing missed logs nothing.
    @Test func aCleanRestartLogsNothing() throws {
        let gateway = try Gateway(policy: .resume)
        do {
            let (player, state, output) = try gateway.start(at: Self.due)
            player.turn(until: { output.events.contains(.drain) && player.status.nowPlaying == nil })
            player.turn()
            state.alive.write(Self.due + 4)
        }
        let (player, _, _) = try gateway.start(at: Self.due + 20)
        player.turn()
        #expect(try gateway.events().map(\.kind) == [.started, .finished])
    }
}
