import Foundation
import LoaAudio
import LoaProtocol
import LoaTestSupport
import Testing
@testable import LoaController

/// Relays ("tiếp sóng") with real parts: an upstream served by Python's HTTP server on loopback
/// (a 440 Hz tone the `ffmpeg` program made, as MP3 and as an HLS playlist of AAC segments), the
/// controller pulling it with FFmpeg's libraries, and two gateway-protocol peers of the area.
@Suite(.serialized, .enabled(if: RelayTools.present, "needs /usr/bin/ffmpeg and /usr/bin/python3"))
struct LiveRelayTests {
    static let ffmpeg = RelayTools.ffmpeg, python = RelayTools.python

    /// The upstream: files made once, served until `stop()`.
    struct Upstream {
        let port: Int
        let pid: pid_t

        init(in dir: ScratchDirectory) async throws {
            let folder = dir.path("upstream")
            try FileManager.default.createDirectory(atPath: folder + "/hls", withIntermediateDirectories: true)
            let sine = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=4", "-ac", "2"]
            // 2 s of tone, then 10 s of digital silence: an upstream that goes quiet.
            let quiet = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                         "sine=frequency=440:sample_rate=44100:duration=2,apad=pad_dur=10", "-ac", "2"]
            let long = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=30", "-ac", "2"]
            let hour = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=300", "-ac", "1"]
            for arguments in [sine + ["-c:a", "libmp3lame", "-b:a", "128k", folder + "/tone.mp3"],
                              hour + ["-c:a", "libmp3lame", "-b:a", "64k", folder + "/tone-5min.mp3"],
                              long + ["-c:a", "libmp3lame", "-b:a", "64k", folder + "/tone-30s.mp3"],
                              quiet + ["-c:a", "libmp3lame", "-b:a", "128k", folder + "/goes-quiet.mp3"],
                              sine + ["-c:a", "aac", "-b:a", "96k", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                                      "-hls_segment_filename", folder + "/hls/seg%03d.ts", folder + "/hls/live.m3u8"]] {
                let pid = try Tool.spawn(LiveRelayTests.ffmpeg, arguments, stdout: dir.path("ffmpeg.log"))
                #expect(await LiveLoopbackTests.exitStatus(pid, seconds: 60) == 0)
            }
            port = LoopbackPorts.free()
            pid = try Tool.spawn(LiveRelayTests.python, ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, String(port)],
                                 stdout: dir.path("http.log"))
            let port = self.port
            _ = await eventually(seconds: 10) { LoopbackPorts.accepts(port) }
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

        /// SIGKILL: a child spawned from the test process inherits its blocked or ignored SIGTERM.
        func stop() {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    static func peer(_ id: String, _ h: APIHarness) async throws -> LivePeer {
        let peer = LivePeer(gatewayID: id)
        try await peer.connect(port: h.gatewayPort, secret: try await h.database.handshakeSecret(for: id).handshakeKey, group: h.group)
        return peer
    }

    /// The decoded audio a peer received: seconds and the tone's frequency from zero crossings.
    static func measure(_ peer: LivePeer) throws -> (seconds: Double, hz: Double) {
        let decoder = try MP3Decoder()
        var samples: [Float] = []
        for payload in peer.audio { if let pcm = try decoder.decode(payload.mp3) { samples += pcm.samples } }
        if let tail = try decoder.finish() { samples += tail.samples }
        let middle = Array(samples.dropFirst(2_400).dropLast(2_400))
        var crossings = 0
        for index in middle.indices.dropFirst() where (middle[index - 1] < 0) != (middle[index] < 0) { crossings += 1 }
        return (Double(samples.count) / 24_000, Double(crossings) / 2 / max(0.001, Double(middle.count) / 24_000))
    }

    @Test(arguments: ["tone.mp3", "hls/live.m3u8"])
    func aRelayGoesOnAirToTheAreasGatewaysAndEndsWithItsUpstream(path: String) async throws {
        let h = try await APIHarness.start(live: LiveSettings(relayReconnectFor: .zero))
        let upstream = try await Upstream(in: h.dir)
        defer { upstream.stop() }
        let first = try await Self.peer("xa-tan-lap-01", h)
        let second = try await Self.peer("xa-tan-lap-02", h)
        let other = try await Self.peer("xa-cam-binh-01", h)
        #expect(await eventually { h.fleet.registry.count == 3 })
        let url = upstream.url(path)
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: """
                {"areaId":"xa-tan-lap","title":"Tiếp sóng VOV1","relayUrl":"\(url)"}
                """)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.object["relayUrl"] as? String == url)
            let id = try #require(created.object["id"] as? Int)
            #expect(await first.wait(seconds: 40) { !$0.ends.isEmpty }, "no liveEnd: \(first.all.count) messages")
            #expect(await second.wait(seconds: 10) { !$0.ends.isEmpty })
            for peer in [first, second] {
                #expect(peer.starts.count == 1 && peer.starts.first?.streamId == UInt32(id))
                let (seconds, hz) = try Self.measure(peer)
                #expect(abs(seconds - 4) < 0.5, "\(path): \(seconds) s relayed, the upstream has 4 s")
                #expect(abs(hz - 440) < 5, "\(path): \(hz) Hz relayed, the upstream is 440 Hz")
            }
            #expect(other.all.isEmpty, "a gateway of another commune got the relay")
            let ended = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(ended.object["state"] as? String == "ended")
            #expect((ended.object["endReason"] as? String)?.contains("relay ended: the upstream ended") == true, "\(ended.text)")
            #expect((ended.object["bytesReceived"] as? Int ?? 0) > 0, "\(ended.text)")
        }
    }

    @Test func aRelayWhoseUpstreamFailsEndsWithTheReasonAndBadURLsAreRefused() async throws {
        let h = try await APIHarness.start(live: LiveSettings(relayStallTimeout: .seconds(5), relayReconnectFor: .seconds(30)))
        let upstream = try await Upstream(in: h.dir)
        defer { upstream.stop() }
        let peer = try await Self.peer("xa-tan-lap-01", h)
        try await h.run { api in
            let missing = upstream.url("no-such-mount.mp3")
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: """
                {"areaId":"xa-tan-lap","title":"Tiếp sóng","relayUrl":"\(missing)"}
                """)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.object["id"] as? Int)
            var reason = ""
            let ended = try await eventually(seconds: 20) {
                let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
                reason = stream.object["endReason"] as? String ?? ""
                return stream.object["state"] as? String == "ended"
            }
            #expect(ended && reason.contains("404") && reason.contains(missing), "end reason: \(reason)")
            #expect(peer.all.isEmpty, "nothing went on air: \(peer.all.count) messages")
            // An area without gateways: a relay there would reach no loudspeaker.
            #expect(try await api.call(.post, "/api/v1/areas", as: "admin", json: #"{"id":"xa-moi","name":"Xã Mới","kind":"commune","parentId":"cam-xuyen"}"#).status == 201)
            let empty = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                           json: #"{"areaId":"xa-moi","title":"Tiếp sóng","relayUrl":""# + upstream.url("tone.mp3") + #""}"#)
            #expect(empty.status == 422 && empty.errorMessage?.contains("no gateways") == true, "\(empty.text)")
            for bad in ["file:///etc/passwd", "ftp://127.0.0.1/x.mp3", "http://", "not a url", "concat:a|b"] {
                let refused = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: """
                    {"areaId":"xa-tan-lap","title":"x","relayUrl":"\(bad)"}
                    """)
                #expect(refused.status == 422 && refused.errorMessage?.contains("relayUrl") == true, "\(bad): \(refused.text)")
            }
        }
    }

    /// An upstream served from a file runs as fast as the network allows (here far more than
    /// ten times real time): the relay is paced to real time and reads only what it needs — after
    /// 6 s on air it has read a small part of a 5-minute file, not all of it.
    @Test func anUpstreamFasterThanRealTimeIsPacedAndReadOnlyAsNeeded() async throws {
        let h = try await APIHarness.start(live: LiveSettings(relayReconnectFor: .zero))
        let upstream = try await Upstream(in: h.dir)
        defer { upstream.stop() }
        let peer = try await Self.peer("xa-tan-lap-01", h)
        #expect(await eventually { h.fleet.registry.count == 1 })
        let fileBytes = try FileManager.default.attributesOfItem(atPath: h.dir.path("upstream/tone-5min.mp3"))[.size] as? Int ?? 0
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                             json: #"{"areaId":"xa-tan-lap","title":"Tiếp sóng","relayUrl":""# + upstream.url("tone-5min.mp3") + #""}"#)
            let id = try #require(created.object["id"] as? Int)
            #expect(await peer.wait(seconds: 20) { !$0.starts.isEmpty })
            let onAir = ContinuousClock.now
            try await Task.sleep(for: .seconds(6))
            let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            let read = stream.object["bytesReceived"] as? Int ?? 0
            let seconds = Double((ContinuousClock.now - onAir).components.seconds)
            // 64 kbit/s is 8 kB a second: 6 s on air, the live delay and lead, FFmpeg's probe and buffers.
            #expect(read > 0 && read < 1_000_000 && read < fileBytes / 4, "read \(read) of \(fileBytes) bytes after \(seconds) s on air")
            // What went out is about real time: no more than the delay and lead ahead.
            let sent = Double(peer.audio.count) * 0.24
            #expect(sent < seconds + 2 + 1 + 1, "\(sent) s sent in \(seconds) s on air")
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "op-cam-xuyen").status == 204)
        }
    }

    /// A silence that does not end the relay shows in the stream's status until sound is back.
    @Test func aSilentUpstreamShowsInTheStreamsStatus() async throws {
        var settings = LiveSettings(relayReconnectFor: .zero)
        settings.relaySilenceAfter = .seconds(2)
        let h = try await APIHarness.start(live: settings)
        let upstream = try await Upstream(in: h.dir)
        defer { upstream.stop() }
        _ = try await Self.peer("xa-tan-lap-01", h)
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                             json: #"{"areaId":"xa-tan-lap","title":"Tiếp sóng","relayUrl":""# + upstream.url("goes-quiet.mp3") + #""}"#)
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["silentSince"] == nil)
            var shown = ""
            let silent = try await eventually(seconds: 20) {
                let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
                shown = stream.text
                return stream.object["silentSince"] is String
            }
            #expect(silent, "\(shown)")
        }
    }

    /// An upstream that goes quiet is reported (log, metric) once it has been silent for
    /// `relaySilenceAfter`, and with `relayEndsOnSilence` the relay ends with that reason long
    /// before the upstream's own end.
    @Test func aSilentUpstreamIsReportedAndCanEndTheRelay() async throws {
        var settings = LiveSettings(relayReconnectFor: .zero)
        settings.relaySilenceAfter = .seconds(2)
        settings.relayEndsOnSilence = true
        let h = try await APIHarness.start(live: settings)
        let upstream = try await Upstream(in: h.dir)
        defer { upstream.stop() }
        let peer = try await Self.peer("xa-tan-lap-01", h)
        #expect(await eventually { h.fleet.registry.count == 1 })
        let url = upstream.url("goes-quiet.mp3")
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                             json: #"{"areaId":"xa-tan-lap","title":"Tiếp sóng","relayUrl":""# + url + #""}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.object["id"] as? Int)
            #expect(await peer.wait(seconds: 30) { !$0.ends.isEmpty }, "no liveEnd: \(peer.all.count) messages")
            let ended = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            let reason = ended.object["endReason"] as? String ?? ""
            #expect(reason.contains("relay ended: the upstream was silent for 2 s"), "\(ended.text)")
            // 2 s of tone and 2 s of silence went out, not the upstream's 12 s.
            let (seconds, _) = try Self.measure(peer)
            #expect(seconds > 3 && seconds < 7, "\(seconds) s relayed")
        }
        let metrics = h.fleet.metrics.render(gatewaysOnline: 1)
        #expect(metrics.contains("loa_live_relay_silences_total 1"), "\(metrics.split(separator: "\n").filter { $0.contains("relay") })")
    }

    @Test func relayHostsLimitWhereARelayMayPullFrom() throws {
        #expect(throws: Never.self) { try APIHandlers.relayURL("https://radio.example.vn/vov1", allowedHosts: []) }
        #expect(throws: Never.self) { try APIHandlers.relayURL("https://Radio.Example.vn/vov1", allowedHosts: ["radio.example.vn"]) }
        #expect(throws: APIError.self) { try APIHandlers.relayURL("http://169.254.169.254/latest", allowedHosts: ["radio.example.vn"]) }
        var configuration = ControllerConfiguration()
        configuration.live.relayHosts = ["radio.example.vn", "http://x"]
        #expect { try configuration.validate() } throws: { "\($0)".contains("live.relay_hosts") }
    }
}

/// The programs the relay tests run: ffmpeg makes the upstream's files, Python serves them.
enum RelayTools {
    static let ffmpeg = "/usr/bin/ffmpeg", python = "/usr/bin/python3"
    static var present: Bool { [ffmpeg, python].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }
}
