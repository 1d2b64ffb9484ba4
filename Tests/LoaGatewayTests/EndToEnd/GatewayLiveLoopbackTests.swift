import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// Live broadcasts through the real `loa-gateway` process: a controller peer on 127.0.0.1 sends
/// `liveStart`, ~240 ms `liveAudio` payloads timed as the contract says, and `liveEnd`; the
/// gateway plays them through real ALSA into a `type file` PCM (which does not pace itself, so
/// the file holds exactly what was written: the stream, and the silence the renderer paced).
@Suite(.serialized, .enabled(if: GatewayProcess.path != nil, "skipped: loa-gateway is not built next to the test bundle"))
struct GatewayLiveLoopbackTests {
    static let gatewayID = "xa-truc-tiep-01"
    static let secret = Array("correct horse battery staple".utf8)

    /// Sleeps until wall-clock `instant` (the peer's clock is the controller clock).
    func sleep(until instant: Date) async throws {
        let seconds = instant.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
    }

    static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A gateway against `port` with a file PCM at `output`, live grace `graceMs`.
    func gateway(_ directory: TemporaryDirectory, port: Int, output: String, graceMs: Int) throws -> GatewayProcess {
        let executable = try #require(GatewayProcess.path)
        let alsa = try #require(ALSADevice.filePCM(name: "loafile", path: output).configText)
        let config = try LoopbackGatewayConfig(
            gatewayID: Self.gatewayID, secret: "correct horse battery staple", hosts: ["127.0.0.1:\(port)"],
            alsaConfig: alsa, stateDirectory: directory.file("state"), amplifierFile: directory.file("amplifier.value"),
            liveFallbackMs: graceMs
        ).write(to: directory.file("gateway.toml"))
        return try GatewayProcess(executable: executable, arguments: ["--config", config], logPath: directory.file("gateway.log"))
    }

    func events(_ peer: ControllerPeer, _ item: String) -> [LoaProtocol.PlayEvent] {
        peer.storedEvents.filter { $0.itemId == item }
    }

    func samples(_ path: String) -> [Int16] {
        guard let raw = FileManager.default.contents(atPath: path) else { return [] }
        return raw.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// The whole stream arrives ahead of its time (re-sent `liveStart`, a stray stream), then
    /// `liveEnd`: the file holds exactly the decoded stream, started and finished on time.
    @Test func aLiveStreamPlaysAtItsStartInstantAndFinishesAfterLiveEnd() async throws {
        let directory = TemporaryDirectory("gw-live")
        let peer = ControllerPeer(gatewayID: Self.gatewayID, secret: Self.secret,
                                  schedule: (1, Array(TestSchedule.make(version: 1, entries: []).canonicalJSON())), content: [:])
        let port = try await peer.start()
        let output = directory.file("played.raw")
        let gateway = try gateway(directory, port: port, output: output, graceMs: 1_500)
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        #expect(await poll(20) { peer.readySessions >= 1 }, "no session; log:\n\(gateway.log)")

        let source = try LiveTestStream.make(streamId: 7, seconds: 2.5, startAtMs: 0).retimed(startAtMs: Self.nowMs + 1_500)
        peer.send(.liveStart(source.start()))
        peer.send(.liveStart(source.start()))   // idempotent
        for sequence: UInt32 in 0..<3 {          // a stream the gateway was never told of
            peer.send(.liveAudio(LiveAudio(streamId: 99, sequence: sequence, presentationTime: 0, mp3: source.payloads[0].mp3)))
        }
        for payload in source.payloads { peer.send(.liveAudio(payload)) }
        peer.send(.liveEnd(LiveEnd(streamId: 7, reason: "source ended")))
        peer.send(.liveEnd(LiveEnd(streamId: 42, reason: "source ended")))   // unknown: ignored

        let durationMs = Int64(source.decoded.frameCount) * 1000 / 24_000
        let kinds = { events(peer, source.itemId).map(\.kind) }
        #expect(await poll(15) { kinds() == [.started, .finished] }, "events: \(kinds()); log:\n\(gateway.log)")
        let played = samples(output)
        #expect(played == source.decoded.int16Samples(),
                "the file holds \(played.count) samples, want the \(source.decoded.frameCount) of the stream; log:\n\(gateway.log)")
        let started = try #require(events(peer, source.itemId).first { $0.kind == .started })
        let finished = try #require(events(peer, source.itemId).first { $0.kind == .finished })
        #expect(abs(started.at - source.startAtMs) < 300, "started \(started.at - source.startAtMs) ms from its start instant")
        #expect(abs(finished.at - (source.startAtMs + durationMs)) < 400,
                "finished \(finished.at - source.startAtMs - durationMs) ms from the end of its sound")
        #expect(finished.detail?.contains("atMs=") == true)
        let log = gateway.log
        #expect(log.components(separatedBy: "live audio for a stream without liveStart").count == 2, "one warning per stream")
        #expect(log.components(separatedBy: "live stream announced").count == 2, "liveStart twice, one stream")
        #expect(log.contains("liveEnd for an unknown stream ignored"))
        // The health report tells the controller how the stream was received: all of it.
        // And how early it came: the whole stream arrived ahead of its time, so every margin is positive.
        let whole = LiveReception(streamId: 7, receivedPayloads: UInt64(source.payloads.count), lostPayloads: 0, latePayloads: 0)
        #expect(await poll(12) {
            peer.healthReports.contains { report in
                guard var reception = report.liveReception, let least = reception.leastBufferMs, least > 0 else { return false }
                (reception.bufferMs, reception.leastBufferMs) = (nil, nil)
                return reception == whole
            }
        }, "health: \(peer.healthReports.compactMap(\.liveReception))")
        #expect(gateway.stop(signal: SIGTERM, timeout: 3) == 0)
        await peer.stop()
    }

    /// The link drops mid-stream and comes back: the controller sends `liveStart` again (ignored,
    /// the stream is known) and goes on from the current payload; the buffered audio bridged the
    /// gap, so the item is never cut and ends `finished` after `liveEnd`.
    @Test func aLinkDropShorterThanTheGraceDoesNotEndTheLiveItem() async throws {
        let directory = TemporaryDirectory("gw-live-link")
        let peer = ControllerPeer(gatewayID: Self.gatewayID, secret: Self.secret,
                                  schedule: (1, Array(TestSchedule.make(version: 1, entries: []).canonicalJSON())), content: [:])
        let port = try await peer.start()
        let output = directory.file("played.raw")
        let gateway = try gateway(directory, port: port, output: output, graceMs: 3_000)
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        #expect(await poll(20) { peer.readySessions >= 1 }, "no session; log:\n\(gateway.log)")

        let source = try LiveTestStream.make(streamId: 9, seconds: 6, startAtMs: 0).retimed(startAtMs: Self.nowMs + 1_500)
        var sentSamples = 0
        func sendAt(_ payload: LiveAudio) async throws {
            try await sleep(until: Date(timeIntervalSince1970: TimeInterval(payload.presentationTime) / 1e9 - 1))
            peer.send(.liveAudio(payload))
            sentSamples += source.framesPerPayload * source.samplesPerFrame
        }
        peer.send(.liveStart(source.start()))
        for payload in source.payloads.prefix(8) { try await sendAt(payload) }
        peer.closeSessions()
        #expect(await poll(10) { peer.readySessions >= 2 }, "no reconnect; log:\n\(gateway.log)")
        // As a controller does for a gateway that becomes ready: liveStart first, then the
        // payloads from now on (those that went out while it was away are lost to it).
        peer.send(.liveStart(source.start()))
        let nextMs = Self.nowMs + 1_000
        for payload in source.payloads where payload.presentationTime / 1_000_000 >= nextMs - 240 { try await sendAt(payload) }
        peer.send(.liveEnd(LiveEnd(streamId: source.streamId, reason: "source ended")))

        let live = { events(peer, source.itemId) }
        #expect(await poll(10) { live().last?.kind == .finished }, "events: \(live()); log:\n\(gateway.log)")
        #expect(live().first?.kind == .started)
        #expect(!live().contains { $0.detail?.contains("live source lost") == true }, "\(live())")
        #expect(live().filter { $0.kind == .started }.count == 1)
        #expect(gateway.log.contains("liveStart for a known stream ignored"))
        // What went out before the drop and after the reconnect plays; what the controller sent
        // while the gateway was away is lost to it (how much depends on how fast it reconnects).
        // About 94 % of a 0.3 sine's samples are above 1000.
        let loud = samples(output).filter { abs(Int($0)) > 1_000 }.count
        #expect(sentSamples > 8 * source.framesPerPayload * source.samplesPerFrame, "nothing was sent after the reconnect")
        #expect(Double(loud) > 0.85 * Double(sentSamples), "\(loud) loud samples played of \(sentSamples) sent")
        #expect(gateway.stop(signal: SIGTERM, timeout: 3) == 0)
        await peer.stop()
    }

    /// A live stream holds the gateway while a scheduled bulletin comes due (it queues); the
    /// source stalls for less than the grace (the item goes on), then stops: after the grace the
    /// item is `interrupted` (`live source lost`) and the bulletin plays; audio arriving later
    /// starts the live item again. (The file PCM is not paced, so a bulletin already sounding
    /// would be over at once: the fallback is shown with the item that waited.)
    @Test func aQuietSourceFallsBackAfterTheGraceButAShortStallDoesNot() async throws {
        let directory = TemporaryDirectory("gw-live-lost")
        let bulletin = try TestBulletin.make(seconds: 8)
        let hash = try #require(ContentHash(hex: bulletin.address.hex))
        let peer = ControllerPeer(gatewayID: Self.gatewayID, secret: Self.secret,
                                  schedule: (1, Array(TestSchedule.make(version: 1, entries: []).canonicalJSON())),
                                  content: [hash: bulletin.bytes])
        let port = try await peer.start()
        let output = directory.file("played.raw")
        let graceMs: Int64 = 1_500
        let gateway = try gateway(directory, port: port, output: output, graceMs: Int(graceMs))
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        #expect(await poll(20) { peer.readySessions >= 1 }, "no session; log:\n\(gateway.log)")

        let encoded = try LiveTestStream.make(streamId: 8, seconds: 20, startAtMs: 0)
        // Live from 3 s ahead; the bulletin at the first whole second (schedules have second
        // resolution) ≥ 2.5 s into it. It may start until its own length (8 s) after that.
        let startAtMs = Self.nowMs + 3_000
        let due = Date(timeIntervalSince1970: (TimeInterval(startAtMs) / 1000 + 2.5).rounded(.up))
        let schedule = TestSchedule.make(version: 2, entries: [("ban-tin-trua", due, bulletin)])
        peer.send(.scheduleUpdate(LoaProtocol.ScheduleUpdate(version: 2, document: Array(schedule.canonicalJSON()))))
        let bulletinItem = "ban-tin-trua@\(Int(due.timeIntervalSince1970))#0"

        // Payloads sent 1 s ahead of their time, as from a controller with delay_ms 1000.
        let source = encoded.retimed(startAtMs: startAtMs)
        let itemId = source.itemId
        peer.send(.liveStart(source.start()))
        func send(_ range: Range<Int>) async throws {
            for payload in source.payloads[range] {
                try await sleep(until: Date(timeIntervalSince1970: TimeInterval(payload.presentationTime) / 1e9 - 1))
                peer.send(.liveAudio(payload))
            }
        }
        // 0–4 (1.2 s of sound), then the source stalls: 5–12 never come (a loss); 13 arrives
        // 0.9 s after the buffer ran dry, less than the grace. Then 13–16.
        try await send(0..<5)
        try await send(13..<17)
        let lastSoundMs = startAtMs + 17 * 240
        // Then nothing: after the grace the live item ends and the bulletin plays.
        let kinds = { events(peer, itemId).map(\.kind) }
        let lostEvent = { events(peer, itemId).first { $0.detail?.contains("live source lost") == true } }
        #expect(await poll(Double(lastSoundMs + graceMs - Self.nowMs) / 1000 + 4) { lostEvent() != nil },
                "live events: \(events(peer, itemId)); log:\n\(gateway.log)")
        let lost = try #require(lostEvent())
        #expect(lost.kind == .interrupted)
        #expect(abs(lost.at - (lastSoundMs + graceMs)) < 500, "fell back \(lost.at - lastSoundMs) ms after the last sound")
        // The stall was shorter than the grace: source lost, then restored, and the item went on.
        let details = events(peer, itemId).map { $0.detail ?? "" }
        #expect(kinds().first == .started)
        #expect(details.filter { $0 == "sourceLost" }.count == 2, "details: \(details)")
        #expect(details.filter { $0 == "sourceRestored" }.count == 1, "details: \(details)")
        #expect(details.filter { $0.contains("live source lost") }.count == 1)
        let bulletinKinds = { events(peer, bulletinItem).map(\.kind) }
        #expect(await poll(8) { bulletinKinds() == [.started, .finished] },
                "bulletin events: \(events(peer, bulletinItem)); log:\n\(gateway.log)")
        let bulletinStart = events(peer, bulletinItem).first { $0.kind == .started }?.at ?? 0
        #expect(abs(bulletinStart - lost.at) < 300, "the bulletin started \(bulletinStart - lost.at) ms after the fallback")

        // The source comes back: the live item starts again (the bulletin is over).
        let restartMs = Self.nowMs
        let back = source.payloads.firstIndex { $0.presentationTime / 1_000_000 > restartMs + 1_000 } ?? source.payloads.count - 3
        try await send(back..<(back + 3))
        peer.send(.liveEnd(LiveEnd(streamId: source.streamId, reason: "stopped by operator")))
        #expect(await poll(6) { kinds().filter { $0 == .started }.count == 2 && kinds().last == .finished },
                "live events: \(events(peer, itemId)); log:\n\(gateway.log)")
        #expect(events(peer, itemId).filter { $0.kind == .started }.last?.detail == "restarted")
        #expect(samples(output).contains { $0 != 0 })
        #expect(gateway.stop(signal: SIGTERM, timeout: 3) == 0)
        await peer.stop()
    }
}
