import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// The player with its announcement ledger on disk: a resend is not replayed, and a restart
/// (a new player on the same state directory) loses no announcement.
@Suite struct AnnouncementRecoveryTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    func announcement(_ bulletin: TestBulletin, due: Date, onInterrupt: OnInterrupt = .resume, id: String = "announcement-7") -> PlayItem {
        PlayItem(id: id, kind: .announcement, content: bulletin.address.hex, priority: Priority(rawValue: 120),
                 durationMs: bulletin.durationMs, onBusy: .preempt, onInterrupt: onInterrupt, due: due,
                 expiresAt: due.addingTimeInterval(3_600))
    }

    func player(_ state: LocalState, clock: @escaping @Sendable () -> Date, output: any AudioOutput, preRollMs: Int64 = 0) -> PlayerService {
        PlayerService(configuration: PlayoutConfiguration(amplifierPreRollMs: preRollMs, amplifierIdleOffMs: 5_000),
                      clock: GatewayClock(localNow: clock), cache: state.cache, output: output, amplifier: NoAmplifier(),
                      log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox), logger: .quiet, announcements: state.announcements)
    }

    /// The controller resends every active announcement at each handshake: one that already
    /// played is not played again, in the same run or after a restart.
    @Test func aResentAnnouncementIsNotPlayedTwice() throws {
        let directory = TemporaryDirectory("announce-resend")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 0.5)
        try bulletin.store(in: state.cache)
        let clock = ManualClock(Self.start)
        let output = MemoryAudioOutput()
        let first = player(state, clock: clock.function, output: output)
        let item = announcement(bulletin, due: Self.start + 1)
        first.post(.announce(item))
        first.turn()
        clock.advance(by: 1)
        first.turn(until: { output.events.contains(.drain) && first.status.nowPlaying == nil })
        #expect(output.samples.count == bulletin.decodedFrames)
        #expect(try state.loggedEvents().map(\.kind) == [.started, .finished])

        // The link drops and comes back: the same announcement, still active, arrives again.
        clock.advance(by: 10)
        first.post(.announce(item))
        for _ in 0..<5 { first.turn(); clock.advance(by: 1); usleep(5_000) }
        #expect(output.samples.count == bulletin.decodedFrames, "replayed after a resend")

        // The gateway restarts; the handshake resends it once more.
        let restartedOutput = MemoryAudioOutput()
        let second = player(state, clock: clock.function, output: restartedOutput)
        second.post(.announce(item))
        for _ in 0..<5 { second.turn(); clock.advance(by: 1); usleep(5_000) }
        #expect(restartedOutput.samples.isEmpty, "replayed after a restart")
        #expect(try state.loggedEvents().map(\.kind) == [.started, .finished])
    }

    /// Received while online, due later; the gateway restarts with no link: it still plays, on time.
    @Test func anAnnouncementWaitingAtARestartPlaysAfterIt() throws {
        let directory = TemporaryDirectory("announce-waiting")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 0.5)
        try bulletin.store(in: state.cache)
        let clock = ManualClock(Self.start)
        let due = Self.start + 10
        do {
            let first = player(state, clock: clock.function, output: MemoryAudioOutput())
            first.post(.announce(announcement(bulletin, due: due)))
            first.turn()
        }  // killed: nothing more from the first run

        clock.advance(by: 3)
        let reopened = try LocalState(root: directory.path, logger: .quiet)
        let output = MemoryAudioOutput()
        let second = player(reopened, clock: clock.function, output: output)
        second.turn()
        #expect(output.events.isEmpty, "nothing before its instant")
        clock.advance(by: 7)
        second.turn(until: { output.events.contains(.drain) && second.status.nowPlaying == nil })
        #expect(output.samples == (try MP3Decoder.decodeAll(bulletin.bytes).int16Samples()))
        let logged = try reopened.loggedEvents()
        #expect(logged.map(\.kind) == [.started, .finished])
        #expect(logged.first?.at == Int64(due.timeIntervalSince1970 * 1000))
    }

    /// Killed while it was sounding (the ledger says since when): the rest plays from where the
    /// clock has got to, as a scheduled play would; with onInterrupt `drop` it is logged dropped.
    @Test func anAnnouncementSoundingAtAKillResumesOnTheClockOrIsDropped() throws {
        let directory = TemporaryDirectory("announce-kill")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 3)
        try bulletin.store(in: state.cache)
        // What the killed run left: both received, both sounding since `start`.
        var ledger = AnnouncementLedger()
        for item in [announcement(bulletin, due: Self.start), announcement(bulletin, due: Self.start, onInterrupt: .drop, id: "announcement-8")] {
            _ = ledger.receive(item)
            _ = ledger.observe(PlayoutEvent(at: Self.start, itemId: item.id, kind: .started))
        }
        try state.announcements.save(ledger)

        let clock = ManualClock(Self.start + 1)
        let output = MemoryAudioOutput()
        let restarted = player(state, clock: clock.function, output: output)
        restarted.turn(until: { output.events.contains(.drain) && restarted.status.nowPlaying == nil })
        #expect(output.samples.count == bulletin.decodedFrames - 24_000, "played \(output.samples.count) of \(bulletin.decodedFrames) frames")
        let decoded = try MP3Decoder.decodeAll(bulletin.bytes).int16Samples()
        #expect(Array(decoded.suffix(output.samples.count)) == output.samples)
        let logged = try state.loggedEvents()
        #expect(logged.filter { $0.itemId == "announcement-7" }.map(\.kind) == [.resumed, .finished])
        #expect(logged.first { $0.itemId == "announcement-7" }?.detail == "fromMs=1000")
        #expect(logged.filter { $0.itemId == "announcement-8" }.map(\.kind) == [.dropped])
        #expect(logged.first { $0.itemId == "announcement-8" }?.detail == "reason=interrupted")
        // Settled now: another restart plays neither.
        let again = MemoryAudioOutput()
        let third = player(state, clock: clock.function, output: again)
        for _ in 0..<3 { third.turn(); clock.advance(by: 1) }
        #expect(again.samples.isEmpty)
    }

    /// Stopped by SIGTERM mid-play (logged interrupted at its position): the next run plays the
    /// rest from exactly there.
    @Test func anAnnouncementCutByAShutdownResumesWhereItWasCut() async throws {
        let directory = TemporaryDirectory("announce-term")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 4)
        try bulletin.store(in: state.cache)
        let first = player(state, clock: { Date() }, output: PacedNullOutput())
        first.start()
        first.post(.announce(announcement(bulletin, due: Date())))
        let deadline = Date().addingTimeInterval(5)
        while (try? state.loggedEvents().count) ?? 0 < 1, Date() < deadline { usleep(20_000) }
        usleep(800_000)
        // Generous: the awaiting task shares the cooperative pool with the whole suite.
        #expect(await first.shutdown(timeout: .seconds(10)))
        let cut = try state.loggedEvents()
        #expect(cut.map(\.kind) == [.started, .interrupted])
        let atMs = try #require(cut.last?.detail?.split(separator: " ").first.flatMap { Int64($0.dropFirst("atMs=".count)) })
        #expect(atMs > 0 && atMs < bulletin.durationMs)

        let output = MemoryAudioOutput()
        let second = player(state, clock: { Date() }, output: output)
        second.turn(until: { output.events.contains(.drain) && second.status.nowPlaying == nil })
        let offset = Int(atMs) * 24
        #expect(output.samples.count == bulletin.decodedFrames - offset, "played \(output.samples.count) frames from \(atMs) ms")
        let decoded = try MP3Decoder.decodeAll(bulletin.bytes).int16Samples()
        #expect(Array(decoded.suffix(output.samples.count)) == output.samples)
        let logged = try state.loggedEvents().dropFirst(2)
        #expect(logged.map(\.kind) == [.resumed, .finished])
        #expect(logged.first?.detail == "fromMs=\(atMs)")
    }

    /// A damaged ledger is reported and set aside; announcements go on being received.
    @Test func aDamagedLedgerIsReportedAndPlaybackGoesOn() throws {
        let directory = TemporaryDirectory("announce-damaged")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 0.5)
        try bulletin.store(in: state.cache)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: state.announcements.path))
        let clock = ManualClock(Self.start)
        let output = MemoryAudioOutput()
        let restarted = player(state, clock: clock.function, output: output)
        restarted.post(.announce(announcement(bulletin, due: Self.start)))
        restarted.turn(until: { output.events.contains(.drain) && restarted.status.nowPlaying == nil })
        #expect(restarted.status.lastErrors.contains { $0.contains("announcements.json") && $0.contains(".damaged") })
        #expect(output.samples.count == bulletin.decodedFrames)
        #expect(try state.announcements.load().entries["announcement-7"]?.progress == .settled, "a fresh ledger was written")
    }
}
