import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// The player with its real threads in real time, into an output paced like a sound card
/// (`PacedNullOutput`): a live stream preempts a bulletin, its source goes quiet, and after
/// the grace the bulletin resumes where it was cut.
@Suite struct LivePlayerTests {
    func events(_ state: LocalState) throws -> [LoaProtocol.PlayEvent] {
        try state.loggedEvents()
    }

    @Test func aQuietLiveStreamFallsBackAndThePreemptedBulletinResumes() async throws {
        let directory = TemporaryDirectory("live-player")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 3)
        try bulletin.store(in: state.cache)
        let output = PacedNullOutput(bufferTime: .milliseconds(200))
        let player = PlayerService(
            configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 60_000, liveFallbackGraceMs: 500),
            clock: GatewayClock(), cache: state.cache, output: output, amplifier: NoAmplifier(),
            log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox), logger: .quiet)
        player.start()
        defer { player.post(.shutdown) }
        let encoded = try LiveTestStream.make(streamId: 7, seconds: 2, startAtMs: 0)
        let now = Date()
        player.post(.announce(PlayItem(id: "thong-bao", kind: .announcement, content: bulletin.address.hex,
                                       priority: .announcement, durationMs: bulletin.durationMs, onBusy: .preempt,
                                       onInterrupt: .resume, due: now, expiresAt: now.addingTimeInterval(60))))
        // Live from 0.8 s: three payloads (720 ms of sound), then nothing.
        let startAtMs = Int64(now.timeIntervalSince1970 * 1000) + 800
        let source = encoded.retimed(startAtMs: startAtMs)
        player.post(.liveStart(source.start()))
        for payload in source.payloads.prefix(3) { player.post(.liveAudio(payload)) }

        let kinds = { (item: String) in ((try? events(state)) ?? []).filter { $0.itemId == item } }
        #expect(await poll(8, every: 20) { kinds("thong-bao").last?.kind == .finished }, "bulletin: \(kinds("thong-bao")); live: \(kinds("live-7"))")
        let bulletinEvents = kinds("thong-bao")
        #expect(bulletinEvents.map(\.kind) == [.started, .interrupted, .resumed, .finished])
        #expect(bulletinEvents[1].detail?.hasPrefix("atMs=") == true && bulletinEvents[1].detail?.hasSuffix("by=live-7") == true)
        // Resumed about where it was cut (0.8 s in).
        let resumedFrom = Int(bulletinEvents[2].detail?.replacingOccurrences(of: "fromMs=", with: "") ?? "") ?? -1
        #expect((600...1_400).contains(resumedFrom), "resumed from \(resumedFrom) ms")
        let live = kinds("live-7")
        #expect(live.map(\.kind) == [.started, .interrupted, .interrupted], "\(live)")
        #expect(live.last?.detail?.hasSuffix("live source lost") == true)
        // Quiet once its 720 ms had sounded, interrupted a grace later.
        #expect(abs(live[2].at - (startAtMs + 720 + 500)) < 400, "fell back \(live[2].at - startAtMs) ms after the start")
        // The status is published after the turn's events are logged: wait for it, not race it.
        #expect(await poll(2, every: 20) { player.status.nowPlaying == nil })
    }
}
