import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// Playout runs on the monotonic clock mapped to controller time: a step of the gateway's
/// system clock (NTP catching up, a technician running `date`) moves nothing that plays.
@Suite struct ClockStepTests {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    /// A monotonic clock driven by `manual` (ns since its start) and a system clock that is
    /// `manual` plus a step the test can change.
    final class Clocks: @unchecked Sendable {
        let manual: ManualClock
        private let lock = NSLock()
        private var step: TimeInterval = 0

        init(_ manual: ManualClock) { self.manual = manual }

        func stepSystemClock(by seconds: TimeInterval) { lock.withLock { step += seconds } }

        func gatewayClock(estimate: ClockEstimate?) -> GatewayClock {
            GatewayClock(localNow: { [self] in manual.now.addingTimeInterval(lock.withLock { step }) },
                         monotonicNow: { [manual] in Int64((manual.now.timeIntervalSince(ClockStepTests.start) * 1e9).rounded()) },
                         sync: ClockMapping(estimate))
        }
    }

    /// Controller time = monotonic + the start instant, +20 ppm.
    static let estimate = ClockEstimate(reference: 0, offset: Int64(start.timeIntervalSince1970 * 1e9), frequency: 20e-6, bound: 50_000, samples: 600)

    @Test func aStepOfTheSystemClockMovesNothingOnceSynced() {
        let manual = ManualClock(Self.start)
        let clocks = Clocks(manual)
        let synced = clocks.gatewayClock(estimate: Self.estimate)
        let unsynced = clocks.gatewayClock(estimate: nil)
        manual.advance(by: 100)
        let before = synced.now()
        #expect(abs(before.timeIntervalSince(Self.start.addingTimeInterval(100.002))) < 1e-6, "20 ppm over 100 s is 2 ms: \(before)")
        #expect(abs(Double(synced.systemClockOffset!) - 2_000_000) < 1_000)
        clocks.stepSystemClock(by: 3_600)
        #expect(synced.now() == before, "the mapped clock moved with the system clock")
        #expect(abs(Double(synced.systemClockOffset!) + 3_600e9 - 2_000_000) < 1_000, "the health report shows the step")
        #expect(unsynced.now() == Self.start.addingTimeInterval(3_700), "before any exchange the system clock is all there is")
    }

    /// A bulletin due at T plays at T on the mapped clock although the system clock jumped an
    /// hour ahead in between (before this change it would have been skipped as past).
    @Test func aBulletinPlaysOnTimeAcrossASystemClockStep() throws {
        var clocks: Clocks?
        let bench = try PlayerBench("clock-step", bulletinSeconds: 0.5, at: Self.start,
                                    configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 5_000),
                                    gatewayClock: { manual in
                                        let made = Clocks(manual)
                                        clocks = made
                                        return made.gatewayClock(estimate: ClockEstimate(reference: 0, offset: Int64(Self.start.timeIntervalSince1970 * 1e9),
                                                                                         frequency: 0, bound: 50_000, samples: 600))
                                    })
        let (state, bulletin, clock, output, player) = (bench.state, bench.bulletin, bench.clock, bench.output, bench.player)
        let due = Self.start.addingTimeInterval(600)
        player.post(.schedule(TestSchedule.make(version: 1, entries: [("ban-tin-trua", due, bulletin)])))
        player.turn()
        clock.advance(by: 300)
        try #require(clocks).stepSystemClock(by: 3_600)
        player.turn()
        #expect(output.events.isEmpty && player.status.nowPlaying == nil, "played or dropped at the step")
        clock.advance(by: 299.9)
        player.turn()
        #expect(output.events.isEmpty, "sound before the due instant")
        clock.advance(by: 0.1)
        player.turn(until: { player.status.nowPlaying == nil && !output.events.isEmpty })
        #expect(output.samples.count == bulletin.decodedFrames)
        let events = try state.loggedEvents()
        #expect(events.first?.kind == .started && events.first?.at == Int64(due.timeIntervalSince1970 * 1000), "\(events)")
    }

    /// Near timed audio the link asks for clock exchanges often; idle, it keeps to its rounds.
    @Test func theClockMattersWhilePlayingOrNearAStart() {
        let now = Self.start
        var status = PlayerService.Status()
        #expect(!status.wantsClockSync(now: now))
        status.nextWake = now.addingTimeInterval(301)
        #expect(!status.wantsClockSync(now: now))
        status.nextWake = now.addingTimeInterval(299)
        #expect(status.wantsClockSync(now: now))
        status.nextWake = nil
        status.liveStreams = 1
        #expect(status.wantsClockSync(now: now))
        status.liveStreams = 0
        status.nowPlaying = "ban-tin"
        #expect(status.wantsClockSync(now: now))
    }

    /// Health carries the discipline's estimate always, and the rate correction's view only
    /// while paced audio plays (measured in the last 10 s).
    @Test func healthShowsTheTimelineOnlyWhilePlaying() {
        var timeline = TimelineStatus.Snapshot()
        #expect(HealthReporter.clockSync(nil, timeline, now: Self.start) == nil)
        let idle = HealthReporter.clockSync(Self.estimate, timeline, now: Self.start)
        #expect(idle == ClockSyncReport(driftPpm: 20, boundMs: 0.05, exchanges: 600))
        timeline.measuredAt = Self.start.addingTimeInterval(-2)
        timeline.errorMs = 0.1234
        timeline.driftPpm = -101.5
        timeline.rejoins = 1
        #expect(HealthReporter.clockSync(Self.estimate, timeline, now: Self.start)
                == ClockSyncReport(driftPpm: 20, boundMs: 0.05, exchanges: 600, timelineErrorMs: 0.123, cardDriftPpm: -101.5, rejoins: 1))
        #expect(HealthReporter.clockSync(nil, timeline, now: Self.start.addingTimeInterval(30)) == nil, "an old measurement is not news")
    }
}
