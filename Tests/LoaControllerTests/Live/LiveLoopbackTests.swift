import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoaAudio
import LoaProtocol
import Testing
@testable import LoaController

/// Real parts: the HTTP API and the gateway server on 127.0.0.1, gateway-protocol peers, and a
/// real ffmpeg pushing MP3 over HTTP PUT the way a studio encoder does.
@Suite(.serialized) struct LiveLoopbackTests {
    static let ffmpeg = "/usr/bin/ffmpeg"

    struct Setup {
        let h: APIHarness
        let api: APIServer
        let port: Int
        let stream: LiveStream
        let key: String
    }

    static func setUp(area: String = "xa-tan-lap") async throws -> Setup {
        let h = try await APIHarness.start()
        let api = APIServer(host: "127.0.0.1", port: 0, services: h.services, group: h.group, logger: TestLog.quiet)
        let port = try await api.start()
        let key = LoginToken.random()
        let stream = try await h.database.createLiveStream(
            NewLiveStream(areaID: area, title: "Tin khẩn", priority: 170, onBusy: .preempt, onInterrupt: .drop, sourceKeySHA256: key.sha256),
            origin: AuditOrigin(actor: "op-cam-xuyen"))
        return Setup(h: h, api: api, port: port, stream: stream, key: key.value)
    }

    static func peer(_ id: String, _ s: Setup) async throws -> LivePeer {
        let peer = LivePeer(gatewayID: id)
        try await peer.connect(port: s.h.gatewayPort, secret: try await s.h.database.handshakeSecret(for: id).handshakeKey, group: s.h.group)
        return peer
    }

    /// ffmpeg, output to a file.
    static func spawnFFmpeg(_ arguments: [String], log: String) throws -> pid_t {
        try Tool.spawn(ffmpeg, arguments, stdout: log)
    }

    /// Waits for the child; its exit status, or nil when it is still running after `seconds`.
    static func exitStatus(_ pid: pid_t, seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Any built executable; stdout and stderr to one file.
    static func spawn(_ program: String, _ arguments: [String], log: String, environment: [String: String]) throws -> pid_t {
        try Tool.spawn(program, arguments, stdout: log, environment: environment)
    }

    static func sourceURL(_ s: Setup) -> String {
        "http://source:\(s.key)@127.0.0.1:\(s.port)/api/v1/live/\(s.stream.id)/source"
    }

    static func http(_ method: String, _ url: String, headers: [String: String], body: Data? = nil) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let response: URLResponse
        if let body {
            (_, response) = try await session.upload(for: request, from: body)
        } else {
            (_, response) = try await session.data(for: request)
        }
        return (response as? HTTPURLResponse)?.statusCode ?? -1
    }

    @Test func ffmpegGoesOnAirToEveryReadyGatewayAndEndsWithItsSource() async throws {
        let s = try await Self.setUp()
        let dir = s.h.dir
        let wav = dir.path("tone.wav")
        try Data(TestAudio.wav(seconds: 4, sampleRate: 44_100, channels: 2, frequency: 1_000, amplitude: 0.3)).write(to: URL(fileURLWithPath: wav))
        let early = try await Self.peer("xa-tan-lap-01", s)
        let other = try await Self.peer("xa-cam-binh-01", s)   // same district, another commune: not in the stream's area
        #expect(await eventually { s.h.fleet.registry.count == 2 })

        let launched = Date()
        let pid = try Self.spawnFFmpeg(["-hide_banner", "-loglevel", "error", "-re", "-i", wav, "-c:a", "libmp3lame", "-b:a", "64k",
                                        "-f", "mp3", "-method", "PUT", Self.sourceURL(s)], log: dir.path("ffmpeg.log"))
        #expect(await early.wait(seconds: 20) { $0.audio.count >= 3 }, "no live audio: \((try? String(contentsOfFile: dir.path("ffmpeg.log"), encoding: .utf8)) ?? "")")
        #expect(try await s.h.database.liveStream(s.stream.id).state == .onAir)
        #expect(await s.h.services.live.status(s.stream.id)?.gateways == 1)

        // A second source for the same stream is refused while the first is connected.
        let second = try await Self.http("PUT", "http://127.0.0.1:\(s.port)/api/v1/live/\(s.stream.id)/source",
                                         headers: ["Authorization": "Basic " + Data("source:\(s.key)".utf8).base64EncodedString(),
                                                   "Content-Type": "audio/mpeg"], body: Data([0xFF, 0xFB, 0x50, 0xC4]))
        #expect(second == 409)

        // A gateway that connects while the stream is on air gets liveStart first, then joins.
        let late = try await Self.peer("xa-tan-lap-02", s)
        #expect(await late.wait(seconds: 10) { $0.audio.count >= 2 })
        #expect(await s.h.services.live.status(s.stream.id)?.gateways == 2)

        let status = await Self.exitStatus(pid, seconds: 30)
        #expect(status == 0, "ffmpeg: \((try? String(contentsOfFile: dir.path("ffmpeg.log"), encoding: .utf8)) ?? "")")
        if status == nil { kill(pid, SIGKILL); _ = await Self.exitStatus(pid, seconds: 5) }
        #expect(await early.wait(seconds: 10) { !$0.ends.isEmpty })
        #expect(await late.wait(seconds: 10) { !$0.ends.isEmpty })

        // The early gateway: liveStart, every payload in order, liveEnd "source ended".
        let id = UInt32(s.stream.id)
        guard case .start(let start)? = early.all.first else {
            Issue.record("the first live message is not liveStart")
            return
        }
        #expect(start.streamId == id && start.sampleRate == 24_000 && start.channels == 1 && start.bitrateKbps == 48)
        // startAt is the first audio's arrival plus the 2 s delay (ffmpeg started a moment after `launched`).
        let startAt = Date(timeIntervalSince1970: Double(start.startAt) / 1_000)
        #expect(startAt.timeIntervalSince(launched) > 2.0 && startAt.timeIntervalSince(launched) < 4.0,
                "startAt \(startAt.timeIntervalSince(launched)) s after ffmpeg started")
        let audio = early.audio
        #expect(audio.map(\.sequence) == (0..<UInt32(audio.count)).map { $0 })
        var samples: Int64 = 0
        var decodable: [UInt8] = []
        for payload in audio {
            #expect(payload.streamId == id)
            #expect(payload.presentationTime == start.startAt * 1_000_000 + samples * 1_000_000_000 / 24_000)
            let count = LivePeer.samples(in: payload.mp3)
            #expect(count > 0, "payload \(payload.sequence) is not whole MP3 frames")
            samples += Int64(count)
            decodable += payload.mp3
        }
        let seconds = Double(samples) / 24_000
        #expect(seconds > 3.8 && seconds < 4.3, "\(seconds) s of audio relayed")
        if let last = audio.last {
            // The last payload sounds about 4 s after the first.
            let span = Double(last.presentationTime - audio[0].presentationTime) / 1e9
            #expect(span > 3.5 && span < 4.3)
        }
        let decoded = try MP3Decoder.decodeAll(decodable)
        #expect(decoded.format == AudioFormat(sampleRate: 24_000, channels: 1))
        #expect(LiveTranscoderTests.share(of: 1_000, in: decoded) > 0.8)
        #expect(early.ends == [LiveEnd(streamId: id, reason: "source ended")])
        if case .end? = early.all.last {} else { Issue.record("liveEnd is not the early gateway's last message") }

        // The late gateway: liveStart (the same) before any audio, then consecutive payloads from a later number.
        guard case .start(let lateStart)? = late.all.first else {
            Issue.record("the late gateway's first live message is not liveStart")
            return
        }
        #expect(lateStart == start)
        let lateAudio = late.audio
        #expect((lateAudio.first?.sequence ?? 0) > 0)
        if let first = lateAudio.first?.sequence {
            #expect(lateAudio.map(\.sequence) == (first..<first + UInt32(lateAudio.count)).map { $0 })
            #expect(lateAudio.last?.sequence == audio.last?.sequence)
        }
        #expect(other.all.isEmpty, "a gateway outside the area got \(other.all.count) live messages")

        let stored = try await s.h.database.liveStream(s.stream.id)
        #expect(stored.state == .ended && stored.endReason == "source ended" && stored.bytesReceived > 30_000)
        #expect(stored.startedAt != nil && stored.endedAt != nil)
        for peer in [early, late, other] { await peer.close() }
        await s.api.stop()
        await s.h.stop()
    }

    @Test func stoppingOnAirEndsTheGatewaysAndDisconnectsTheSource() async throws {
        let s = try await Self.setUp(area: "cam-xuyen")
        let dir = s.h.dir
        let peer = try await Self.peer("xa-cam-binh-01", s)
        #expect(await eventually { s.h.fleet.registry.count == 1 })
        let pid = try Self.spawnFFmpeg(["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=500:duration=30",
                                        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "-method", "PUT", Self.sourceURL(s)],
                                       log: dir.path("ffmpeg.log"))
        #expect(await peer.wait(seconds: 20) { $0.audio.count >= 2 })
        let stopped = Date()
        let answer = try await Self.http("DELETE", "http://127.0.0.1:\(s.port)/api/v1/live/\(s.stream.id)",
                                         headers: ["Authorization": "Bearer \(s.h.tokens["op-cam-xuyen"]!)"])
        #expect(answer == 204)
        #expect(await peer.wait(seconds: 5) { !$0.ends.isEmpty })
        #expect(peer.ends == [LiveEnd(streamId: UInt32(s.stream.id), reason: "stopped by operator")])
        // The encoder's connection is closed: ffmpeg gives up well before its 30 s are out.
        let status = await Self.exitStatus(pid, seconds: 10)
        #expect(status != nil && Date().timeIntervalSince(stopped) < 10)
        if status == nil { kill(pid, SIGKILL); _ = await Self.exitStatus(pid, seconds: 5) }
        let stored = try await s.h.database.liveStream(s.stream.id)
        #expect(stored.state == .ended && stored.endReason == "stopped by operator")
        let count = peer.audio.count
        try? await Task.sleep(for: .milliseconds(500))
        #expect(peer.audio.count == count, "audio after liveEnd")
        await peer.close()
        await s.api.stop()
        await s.h.stop()
    }

    @Test func loactlLiveSendPushesAFileInRealTime() async throws {
        let s = try await Self.setUp()
        let dir = s.h.dir
        let mp3 = dir.path("tone.mp3")
        try Data(try LiveTranscoderTests.sourceMP3(seconds: 3, frequency: 600)).write(to: URL(fileURLWithPath: mp3))
        let peer = try await Self.peer("xa-tan-lap-01", s)
        #expect(await eventually { s.h.fleet.registry.count == 1 })
        let started = Date()
        let pid = try Self.spawn(Tool.built("loactl"), ["live", "send", "\(s.stream.id)", mp3, "--key", s.key,
                                                        "--controller", "http://127.0.0.1:\(s.port)"],
                                 log: dir.path("loactl.log"), environment: ["LOA_CONFIG_DIR": dir.path("config")])
        let status = await Self.exitStatus(pid, seconds: 30)
        let output = (try? String(contentsOfFile: dir.path("loactl.log"), encoding: .utf8)) ?? ""
        #expect(status == 0, "loactl: \(output)")
        if status == nil { kill(pid, SIGKILL); _ = await Self.exitStatus(pid, seconds: 5) }
        // Paced: 3 s of audio take at least 3 s less the half second sent ahead.
        #expect(Date().timeIntervalSince(started) > 2.4)
        #expect(output.contains("ended") && output.contains("source ended"), "\(output)")
        #expect(await peer.wait(seconds: 10) { !$0.ends.isEmpty })
        if case .start? = peer.all.first {} else { Issue.record("the first live message is not liveStart") }
        let samples = peer.audio.reduce(0) { $0 + LivePeer.samples(in: $1.mp3) }
        #expect(Double(samples) / 24_000 > 2.9 && Double(samples) / 24_000 < 3.2)
        #expect(peer.ends.first?.reason == "source ended")
        // A wrong key: refused with the server's message, exit code for a refused request.
        let wrong = try Self.spawn(Tool.built("loactl"), ["live", "send", "\(s.stream.id)", mp3, "--key", "nope",
                                                          "--controller", "http://127.0.0.1:\(s.port)"],
                                   log: dir.path("wrong.log"), environment: ["LOA_CONFIG_DIR": dir.path("config")])
        let wrongStatus = await Self.exitStatus(wrong, seconds: 20)
        #expect(wrongStatus != 0 && wrongStatus != nil)
        let wrongOutput = (try? String(contentsOfFile: dir.path("wrong.log"), encoding: .utf8)) ?? ""
        #expect(wrongOutput.contains("410") || wrongOutput.contains("ended") || wrongOutput.contains("wrong source key"), "\(wrongOutput)")
        await peer.close()
        await s.api.stop()
        await s.h.stop()
    }

    @Test func controllerStoppingEndsOpenStreamsAndRefusesNewSources() async throws {
        let s = try await Self.setUp()
        let dir = s.h.dir
        let peer = try await Self.peer("xa-tan-lap-01", s)
        #expect(await eventually { s.h.fleet.registry.count == 1 })
        let pid = try Self.spawnFFmpeg(["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=30",
                                        "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", "-method", "PUT", Self.sourceURL(s)],
                                       log: dir.path("ffmpeg.log"))
        #expect(await peer.wait(seconds: 20) { $0.audio.count >= 2 })
        // What the daemon does on SIGTERM before the HTTP server drains.
        await s.h.services.live.stopAll()
        #expect(await peer.wait(seconds: 5) { !$0.ends.isEmpty })
        #expect(peer.ends.first?.reason == "controller stopping")
        let status = await Self.exitStatus(pid, seconds: 10)
        #expect(status != nil, "ffmpeg still connected after the controller stopped the stream")
        if status == nil { kill(pid, SIGKILL); _ = await Self.exitStatus(pid, seconds: 5) }
        #expect(try await s.h.database.liveStream(s.stream.id).endReason == "controller stopping")
        await #expect(throws: LiveHubError.stopping) {
            _ = try await s.h.services.live.attachSource(s.stream.id, closeSource: {})
        }
        // The API server drains at once: no source request is left hanging.
        let drained = Date()
        await s.api.stop()
        #expect(Date().timeIntervalSince(drained) < 5)
        await peer.close()
        await s.h.stop()
    }

    @Test func anEncoderSendingWAVIsRefusedQuicklyAndNothingGoesOnAir() async throws {
        let s = try await Self.setUp()
        let dir = s.h.dir
        let peer = try await Self.peer("xa-tan-lap-01", s)
        #expect(await eventually { s.h.fleet.registry.count == 1 })
        let started = Date()
        // A 30 s WAV stream in real time: the controller must answer 415 and close long before it ends.
        let pid = try Self.spawnFFmpeg(["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=30",
                                        "-f", "wav", "-method", "PUT", Self.sourceURL(s)], log: dir.path("ffmpeg.log"))
        let status = await Self.exitStatus(pid, seconds: 10)
        #expect(status != nil && status != 0, "ffmpeg kept streaming WAV")
        if status == nil { kill(pid, SIGKILL); _ = await Self.exitStatus(pid, seconds: 5) }
        #expect(Date().timeIntervalSince(started) < 10)
        let log = (try? String(contentsOfFile: dir.path("ffmpeg.log"), encoding: .utf8)) ?? ""
        // ffmpeg does not read the answer while it writes: it sees the closed connection.
        #expect(log.contains("415") || log.contains("Broken pipe") || log.contains("Connection reset"), "ffmpeg said: \(log)")
        #expect(try await s.h.database.liveStream(s.stream.id).state == .waiting)
        try? await Task.sleep(for: .milliseconds(200))
        #expect(peer.all.isEmpty)
        await peer.close()
        await s.api.stop()
        await s.h.stop()
    }

    @Test func aGatewayThatStopsReadingMissesPayloadsAndHoldsUpNoOne() async throws {
        let s = try await Self.setUp()
        let fast = try await Self.peer("xa-tan-lap-01", s)
        let slow = LivePeer(gatewayID: "xa-tan-lap-02")
        try await slow.connect(port: s.h.gatewayPort, secret: try await s.h.database.handshakeSecret(for: "xa-tan-lap-02").handshakeKey,
                               group: s.h.group, receiveBuffer: 8_192)
        #expect(await eventually { s.h.fleet.registry.count == 2 })
        let hub = s.h.services.live
        _ = try await hub.attachSource(s.stream.id, closeSource: {})
        let startAt = Int64(Date().timeIntervalSince1970 * 1_000) + 2_000
        #expect(await hub.goOnAir(s.stream.id, startAtMs: startAt) != nil)
        #expect(await slow.wait(seconds: 5) { !$0.starts.isEmpty })
        try await slow.setReading(false)
        // 400 payloads of 16 KiB, one every 5 ms (6.4 MB in 2 s): a link that reads keeps up, one
        // that does not fills its socket buffers and then its 64 KiB backlog.
        let payload = [UInt8](repeating: 0x55, count: 16 * 1_024)
        let count = 400
        let began = ContinuousClock.now
        for sequence in 0..<count {
            let audio = LiveAudio(streamId: UInt32(s.stream.id), sequence: UInt32(sequence),
                                  presentationTime: startAt * 1_000_000 + Int64(sequence) * 240_000_000, mp3: payload)
            #expect(await hub.publish(s.stream.id, audio, bytesReceived: 0))
            try await Task.sleep(for: .milliseconds(5))
        }
        let publishing = ContinuousClock.now - began
        // Publishing never waited for the slow gateway.
        #expect(publishing < .seconds(15), "publishing took \(publishing)")
        #expect(await fast.wait(seconds: 30) { $0.audio.count == count })
        #expect(fast.audio.map(\.sequence) == (0..<count).map { UInt32($0) })
        try await slow.setReading(true)
        try? await Task.sleep(for: .seconds(1))
        let got = slow.audio.map(\.sequence)
        #expect(got.count < count, "the backlogged gateway got every payload")
        #expect(got.count > 0)
        // What it got is in order; the gap is the loss, counted for the operator's dashboard.
        #expect(got == got.sorted())
        let metrics = s.h.fleet.metrics.render(gatewaysOnline: 2)
        let dropped = metrics.split(separator: "\n").first { $0.hasPrefix("loa_live_payloads_dropped_total{gateway=\"xa-tan-lap-02\"} ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect((dropped ?? 0) > 0 && (dropped ?? 0) + got.count <= count, "dropped \(String(describing: dropped)), got \(got.count)")
        #expect(!metrics.contains("loa_live_payloads_dropped_total{gateway=\"xa-tan-lap-01\"}"), "the fast gateway lost nothing")
        await hub.end(s.stream.id, reason: LiveEndReason.sourceEnded, origin: .controller, closeSource: false)
        for peer in [fast, slow] { await peer.close() }
        await s.api.stop()
        await s.h.stop()
    }
}
