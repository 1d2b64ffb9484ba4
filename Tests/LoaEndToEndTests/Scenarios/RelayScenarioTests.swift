import Foundation
import LoaAudio
import LoaTestSupport
import Testing

/// Scenario: tiếp sóng. Real upstreams on loopback — Debian's `icecast2` with an MP3 and an AAC
/// mount fed by `ffmpeg`, and `ffmpeg`'s HLS muxer writing a live playlist served over HTTP —
/// relayed by the controller to both gateways of a commune, each gateway's ALSA file PCM holding
/// the upstream's tone, while `mpg123` and `ffprobe` read the listen URLs; studio encoders
/// (`ffmpeg -legacy_icecast 1`, `darkice` reading an ALSA `file` PCM) pushing into the
/// Icecast-compatible port; and a daily relay rule that sounds on its instant, ends by itself,
/// and that a gateway cut off from the controller logs missed and covers with its fallback.
@Suite(.serialized, .enabled(if: Built.available && RelayPeers.present,
                             "needs the built binaries, icecast2, ffmpeg, ffprobe, mpg123, darkice and python3"))
struct RelayScenarioTests {
    static let ids = ["xa-tan-lap-01", "xa-tan-lap-02"]

    @Test func icecastAndHLSRelaysPlayOnBothGatewaysWhileListenersHearThem() async throws {
        try await scenario("relays") { system in
            try await system.start(communes: [("xa-tan-lap", Self.ids)])
            try await system.waitOnline(Self.ids)
            let icecast = try await RelayPeers.icecast(system.scratch, mounts: [("/vov1.mp3", 440, RelayPeers.mp3), ("/vov2.aac", 660, RelayPeers.aac)])
            let hls = try await RelayPeers.liveHLS(system.scratch, hz: 880)
            defer { icecast.stop(); hls.stop() }
            for (url, hz) in [(icecast.url("/vov1.mp3"), 440.0), (icecast.url("/vov2.aac"), 660.0), (hls.url, 880.0)] {
                let marks = Self.ids.map { system[$0].sink.samples.count }
                let created = try await system.api.call("POST", "/api/v1/live", json: ["areaId": "xa-tan-lap", "title": "Tiếp sóng", "relayUrl": url])
                try #require(created.status == 201, "\(created)")
                let id = try #require(created.json?["id"].map { "\($0)" })
                let listenPath = try #require(created.json?["listenPath"] as? String)
                let sounding = await eventually(40, every: .milliseconds(500)) {
                    zip(Self.ids, marks).allSatisfy { RelayPeers.loudSamples(system[$0].sink.samples, from: $1) > 3 * 24_000 }
                }
                #expect(sounding, "\(url): the gateways did not play 3 s of it\n\(system.controller.log.suffix(3000))")
                if hz == 440 {
                    // Listeners while the gateways play: mpg123 (HTTP/1.0) on the Icecast-compatible port, ffprobe on the API's URL.
                    let key = try #require(listenPath.components(separatedBy: "key=").last)
                    let wav = system.scratch.file("listener.wav")
                    let mpg123 = try ChildProcess("/usr/bin/mpg123", ["-q", "-n", "120", "-w", wav,
                                                                      "http://127.0.0.1:\(system.controller.icecastPort)/live/\(id)?key=\(key)"],
                                                  stdout: system.scratch.file("mpg123.out"), stderr: system.scratch.file("mpg123.err"))
                    let probe = try ChildProcess("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,sample_rate",
                                                                      "-of", "default=noprint_wrappers=1", system.controller.url + listenPath],
                                                 stdout: system.scratch.file("ffprobe.out"), stderr: system.scratch.file("ffprobe.err"))
                    #expect(await mpg123.waitForExit(seconds: 30) == 0, "mpg123: \(mpg123.stderr)")
                    #expect(await probe.waitForExit(seconds: 30) == 0, "ffprobe: \(probe.stderr)")
                    let probed = (try? String(contentsOfFile: system.scratch.file("ffprobe.out"), encoding: .utf8)) ?? ""
                    #expect(probed.contains("codec_name=mp3") && probed.contains("sample_rate=24000"), "\(probed)")
                    let heard = try WAVFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: wav)))).audio.samples
                    let middle = Array(heard.dropFirst(heard.count / 4).prefix(heard.count / 2))
                    #expect(abs(Spectrum.dominantFrequency(middle, sampleRate: 24_000) - 440) < 15, "mpg123 heard another tone")
                }
                #expect(try await system.api.call("DELETE", "/api/v1/live/\(id)").status == 204)
                _ = try await eventually(15, every: .milliseconds(500)) {
                    let log = try await system.playLog()
                    return Self.ids.allSatisfy { gateway in log.contains { $0.gatewayId == gateway && $0.itemId == "live-\(id)" && $0.kind != "started" } }
                }
                for (gateway, mark) in zip(Self.ids, marks) {
                    let heard = RelayPeers.tone(system[gateway].sink.samples, from: mark)
                    #expect(abs(heard - hz) < 15, "\(gateway) played \(heard) Hz of \(url), the upstream is \(hz) Hz")
                }
            }
        }
    }

    /// The upstream icecast2 killed mid-relay and started again: the relay reopens it, the
    /// gateways' loudspeakers hold the tone after the gap as before, and the live item is not cut
    /// (no `interrupted`) while the gap stays within the jitter buffer and the live grace.
    @Test func aRelayRidesOutItsIcecastServerBeingKilledAndStartedAgain() async throws {
        try await scenario("relay-restart") { system in
            try await system.start(communes: [("xa-tan-lap", Self.ids)])
            try await system.waitOnline(Self.ids)
            var icecast = try await RelayPeers.icecast(system.scratch, mounts: [("/vov1.mp3", 440, RelayPeers.mp3)])
            defer { icecast.stop() }
            let created = try await system.api.call("POST", "/api/v1/live", json: ["areaId": "xa-tan-lap", "title": "VOV1", "relayUrl": icecast.url("/vov1.mp3")])
            try #require(created.status == 201, "\(created)")
            let id = try #require(created.json?["id"].map { "\($0)" })
            let before = Self.ids.map { system[$0].sink.samples.count }
            #expect(await eventually(40, every: .milliseconds(500)) {
                zip(Self.ids, before).allSatisfy { RelayPeers.loudSamples(system[$0].sink.samples, from: $1) > 3 * 24_000 }
            }, "not on air before the kill")
            let killed = Date()
            icecast.stop()
            icecast = try await RelayPeers.icecast(system.scratch, mounts: [("/vov1.mp3", 440, RelayPeers.mp3)], port: icecast.port)
            let restartedAfter = Date().timeIntervalSince(killed)
            let after = Self.ids.map { system[$0].sink.samples.count }
            #expect(await eventually(40, every: .milliseconds(500)) {
                zip(Self.ids, after).allSatisfy { RelayPeers.loudSamples(system[$0].sink.samples, from: $1) > 3 * 24_000 }
            }, "no sound after icecast2 came back (\(restartedAfter) s after the kill)\n\(system.controller.log.suffix(2000))")
            let log = try await system.playLog()
            for (gateway, mark) in zip(Self.ids, after) {
                #expect(abs(RelayPeers.tone(system[gateway].sink.samples, from: mark) - 440) < 15, "\(gateway) after the gap")
                let kinds = log.filter { $0.gatewayId == gateway && $0.itemId == "live-\(id)" }.map(\.kind)
                #expect(kinds == ["started"], "\(gateway): the item was cut during a \(restartedAfter) s restart: \(kinds)")
            }
            let stream = try await system.api.call("GET", "/api/v1/live/\(id)")
            #expect(stream.json?["state"] as? String == "on-air", "one stream throughout: \(stream)")
            #expect(try await system.api.call("DELETE", "/api/v1/live/\(id)").status == 204)
        }
    }

    @Test func studioEncodersPushIntoTheIcecastPort() async throws {
        try await scenario("icecast-ingest") { system in
            try await system.start(communes: [("xa-tan-lap", Self.ids)])
            try await system.waitOnline(Self.ids)
            for encoder in ["ffmpeg", "darkice"] {
                let marks = Self.ids.map { system[$0].sink.samples.count }
                let created = try await system.api.call("POST", "/api/v1/live", json: ["areaId": "xa-tan-lap", "title": "Studio \(encoder)"])
                try #require(created.status == 201, "\(created)")
                let id = try #require(created.json?["id"].map { "\($0)" })
                let key = try #require(created.json?["sourceKey"] as? String)
                let hz = encoder == "ffmpeg" ? 550.0 : 440.0
                let source: ChildProcess
                if encoder == "ffmpeg" {
                    source = try ChildProcess("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi",
                                                                  "-i", "sine=frequency=550:sample_rate=44100:duration=6", "-ac", "2"]
                                              + RelayPeers.mp3 + ["-legacy_icecast", "1",
                                                                  "icecast://source:\(key)@127.0.0.1:\(system.controller.icecastPort)/live/\(id)"],
                                              stdout: system.scratch.file("ffmpeg.out"), stderr: system.scratch.file("ffmpeg.err"))
                } else {
                    source = try RelayPeers.darkice(system.scratch, port: system.controller.icecastPort, mount: "live/\(id)", password: key)
                }
                #expect(await source.waitForExit(seconds: 60) == 0, "\(encoder): \(source.stderr.suffix(2000))")
                let ended = await eventually(30, every: .milliseconds(500)) {
                    (try? await system.api.call("GET", "/api/v1/live/\(id)").json?["state"] as? String) == "ended"
                }
                #expect(ended, "\(encoder): the stream did not end with its source\n\(system.controller.log.suffix(2000))")
                // The gateways play out what they hold (the live delay) after the end.
                let finished = try await eventually(20, every: .milliseconds(500)) {
                    let log = try await system.playLog()
                    return Self.ids.allSatisfy { gateway in log.contains { $0.gatewayId == gateway && $0.itemId == "live-\(id)" && $0.kind == "finished" } }
                }
                #expect(finished, "\(encoder): not finished on both gateways")
                for (gateway, mark) in zip(Self.ids, marks) {
                    let loud = RelayPeers.loudSamples(system[gateway].sink.samples, from: mark)
                    #expect(loud > 3 * 24_000, "\(gateway) played \(loud) loud samples from \(encoder)")
                    let heard = RelayPeers.tone(system[gateway].sink.samples, from: mark)
                    #expect(abs(heard - hz) < 15, "\(gateway) played \(heard) Hz from \(encoder), which sent \(hz) Hz")
                }
            }
        }
    }

    @Test func aDailyRelaySoundsOnItsInstantAndACutOffGatewayLogsItMissedAndPlaysItsFallback() async throws {
        try await scenario("relay-schedule") { system in
            let proxy = try RelayPeers.Proxy(system.scratch, to: system.controller.gatewayPort)
            defer { proxy.stop() }
            try await system.start(communes: [("xa-tan-lap", Self.ids)], viaPorts: ["xa-tan-lap-02": proxy.port])
            try await system.waitOnline(Self.ids)
            let fallback = try await system.bulletin("Bản tin dự phòng", seconds: 4, frequency: 330)
            let upstream = try await RelayPeers.fileServer(system.scratch, seconds: 60, hz: 440)
            defer { upstream.stop() }
            let local = LocalStart(inSeconds: 25)
            let start = local.instant
            // Through loactl, as an operator would.
            let created = try await system.loactl.json("relays", "add", "--area", "xa-tan-lap", "--title", "Tiếp sóng VOV1",
                                                       "--url", upstream.url, "--daily", "--at", local.time, "--from", local.day,
                                                       "--duration", "20", "--fallback", String(fallback.prefix(12))) as? [String: Any]
            let rule = try #require(created?["id"].map { "\($0)" }, "\(String(describing: created))")
            let windowID = "relay-\(rule)@\(Int(start.timeIntervalSince1970))"
            // Both gateways get the window (and 02 the fallback) before 02 is cut off.
            try await Task.sleep(for: .seconds(max(1, start.timeIntervalSinceNow - 8)))
            proxy.stop()
            let marks = Self.ids.map { system[$0].sink.samples.count }
            try await Task.sleep(for: .seconds(max(1, start.timeIntervalSinceNow + 22)))
            try proxy.start()
            try await system.waitOnline(Self.ids)

            // 01 played the relay from its instant; 02 played the fallback.
            if let first = system["xa-tan-lap-01"].sink.firstSoundAt(after: marks[0]) {
                #expect(abs(first.timeIntervalSince(start)) < 0.5, "01 sounded at \(first), the window starts at \(start)")
            } else {
                Issue.record("01 never sounded")
            }
            #expect(abs(RelayPeers.tone(system["xa-tan-lap-01"].sink.samples, from: marks[0]) - 440) < 15)
            #expect(abs(RelayPeers.tone(system["xa-tan-lap-02"].sink.samples, from: marks[1]) - 330) < 15, "02 did not play the fallback")
            var log: [PlayRecord] = []
            let logged = try await eventually(30, every: .milliseconds(500)) {
                log = try await system.playLog()
                return log.contains { $0.gatewayId == "xa-tan-lap-02" && $0.itemId == windowID && $0.kind == "missed" }
                    && log.contains { $0.gatewayId == "xa-tan-lap-02" && $0.itemId == windowID + "#fallback" && $0.kind == "finished" }
                    && log.contains { $0.gatewayId == "xa-tan-lap-01" && $0.itemId.hasPrefix("live-") && $0.kind == "finished" }
            }
            #expect(logged, "play log: \(log.map { "\($0.gatewayId) \($0.itemId) \($0.kind)" })")
            #expect(!log.contains { $0.gatewayId == "xa-tan-lap-01" && $0.itemId == windowID }, "01 got the relay: no missed window")
            let streams = try await system.api.call("GET", "/api/v1/live")
            let stream = (streams.json?["items"] as? [[String: Any]])?.first
            #expect(stream?["endReason"] as? String == "scheduled end", "\(streams)")
        }
    }
}

extension RelayScenarioTests {
    /// A program with a relay between its items — jingle, the provincial radio relayed for 20 s,
    /// a bulletin — made with `loactl programs add`: on the connected gateway the three play in
    /// that order and the relay's play is logged as the program's second item; the gateway cut
    /// off before the start plays the jingle, logs the window missed, covers it with the stand-in
    /// bulletin, then plays the bulletin.
    @Test func aProgramRelaysRadioBetweenItsItemsAndACutOffGatewayCoversItWithItsStandIn() async throws {
        try await scenario("program-relay") { system in
            let proxy = try RelayPeers.Proxy(system.scratch, to: system.controller.gatewayPort)
            defer { proxy.stop() }
            try await system.start(communes: [("xa-tan-lap", Self.ids)], viaPorts: ["xa-tan-lap-02": proxy.port])
            try await system.waitOnline(Self.ids)
            let jingle = try await system.bulletin("Nhạc hiệu", seconds: 1.5, frequency: 880)
            let news = try await system.bulletin("Bản tin xã", seconds: 2.5, frequency: 660)
            let standIn = try await system.bulletin("Bản tin dự phòng", seconds: 2, frequency: 330)
            let upstream = try await RelayPeers.fileServer(system.scratch, seconds: 60, hz: 550)
            defer { upstream.stop() }
            let local = LocalStart(inSeconds: 25)
            let start = local.instant
            let created = try await system.loactl.json(
                "programs", "add", "--area", "xa-tan-lap", "--name", "Chương trình sáng", "--once", local.day, "--at", local.time,
                "--item", "jingle:" + jingle, "--item", "relay:20:Thời sự tỉnh:\(upstream.url) fallback=\(standIn.prefix(12))",
                "--item", "bulletin:" + news) as? [String: Any]
            let program = try #require((created?["id"] as? NSNumber)?.intValue, "\(String(describing: created))")
            let items = created?["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["type"] as? String } == ["jingle", "relay", "bulletin"], "\(items)")

            try await Task.sleep(for: .seconds(max(1, start.timeIntervalSinceNow - 8)))
            proxy.stop()
            let marks = Self.ids.map { system[$0].sink.samples.count }
            try await Task.sleep(for: .seconds(max(1, start.timeIntervalSinceNow + 1.5 + 20 + 2.5 + 4)))
            try proxy.start()
            try await system.waitOnline(Self.ids)

            var log: [PlayRecord] = []
            let logged = try await eventually(30, every: .milliseconds(500)) {
                log = try await system.playLog()
                return Self.ids.allSatisfy { id in log.contains { $0.gatewayId == id && $0.programPosition == 3 && $0.kind == "finished" } }
            }
            #expect(logged, "play log: \(log)")
            let connected = log.filter { $0.gatewayId == "xa-tan-lap-01" && $0.kind == "started" }.sorted { $0.at < $1.at }
            #expect(connected.map(\.programPosition) == [1, 2, 3], "01: \(connected)")
            #expect(connected.allSatisfy { $0.program == program }, "01: \(connected)")
            #expect(connected.dropFirst().first?.itemId.hasPrefix("live-") == true, "01: the relay's play is its live stream: \(connected)")
            let cutOff = log.filter { $0.gatewayId == "xa-tan-lap-02" }
            #expect(cutOff.contains { $0.programPosition == 2 && $0.kind == "missed" && !$0.itemId.hasSuffix("#fallback") }, "02: \(cutOff)")
            #expect(cutOff.contains { $0.programPosition == 2 && $0.bulletin == standIn && $0.kind == "finished" }, "02: \(cutOff)")

            // What the loudspeakers played, as a sequence of tones.
            // (The bulletins' tones rise 20 Hz a second; the upstream's is 550 Hz.)
            #expect(RelayPeers.toneSequence(system["xa-tan-lap-01"].sink.samples, from: marks[0], bands: [880, 550, 660, 330]) == [880, 550, 660])
            #expect(RelayPeers.toneSequence(system["xa-tan-lap-02"].sink.samples, from: marks[1], bands: [880, 550, 660, 330]) == [880, 330, 660])
        }
    }
}

/// The real peers of the relay scenarios.
enum RelayPeers {
    /// The tones heard from `mark` on, in order: each half second that sounds, classified to the
    /// nearest of `bands` within 70 Hz (the test bulletins rise 20 Hz a second), repeats folded.
    static func toneSequence(_ samples: [Int16], from mark: Int, bands: [Double]) -> [Double] {
        var sequence: [Double] = []
        var index = mark
        while index + 12_000 <= samples.count {
            let window = samples[index..<(index + 12_000)]
            index += 12_000
            guard window.filter({ abs(Int($0)) > 1_600 }).count > 6_000 else { continue }
            let hz = Spectrum.dominantFrequency(window.map { Float($0) / 32_768 }, sampleRate: 24_000)
            guard let band = bands.min(by: { abs($0 - hz) < abs($1 - hz) }), abs(band - hz) < 70 else { continue }
            if sequence.last != band { sequence.append(band) }
        }
        return sequence
    }

    static let mp3 = ["-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3"]
    static let aac = ["-c:a", "aac", "-b:a", "96k", "-content_type", "audio/aac", "-f", "adts"]
    static let tools = ["/usr/bin/icecast2", "/usr/bin/ffmpeg", "/usr/bin/ffprobe", "/usr/bin/mpg123", "/usr/bin/darkice", "/usr/bin/python3"]
    static var present: Bool { tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }

    /// Samples above -26 dBFS from `mark` on.
    static func loudSamples(_ samples: [Int16], from mark: Int) -> Int {
        samples.dropFirst(mark).filter { abs(Int($0)) > 1_600 }.count
    }

    /// The dominant frequency of one second of sound, 0.1 s after the first loud sample past `mark`.
    static func tone(_ samples: [Int16], from mark: Int) -> Double {
        guard let first = samples.indices.dropFirst(mark).first(where: { abs(Int(samples[$0])) > 1_600 }),
              first + 26_400 <= samples.count else { return 0 }
        return Spectrum.dominantFrequency(samples[(first + 2_400)..<(first + 26_400)].map { Float($0) / 32_768 }, sampleRate: 24_000)
    }

    /// Processes serving an upstream; killed by `stop()` (and at the latest when the object goes).
    final class Server: @unchecked Sendable {
        let port: Int
        var processes: [ChildProcess] = []
        var path = "/"
        init(port: Int) { self.port = port }
        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
        var url: String { url(path) }
        func stop() {
            for process in processes where process.isRunning {
                kill(process.pid, SIGKILL)
                _ = process.exitStatus
            }
        }
        deinit { stop() }
    }

    /// `icecast2` with each mount fed in real time by ffmpeg with a sine of its frequency (on
    /// `port` again, to start it after a kill).
    static func icecast(_ scratch: Scratch, mounts: [(String, Int, [String])], port: Int? = nil) async throws -> Server {
        let server = Server(port: try port ?? FreePort.next())
        let logs = scratch.file("icecast-logs")
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        chmod(logs, 0o777)
        let config = try scratch.write(IcecastServerConfig.xml(port: server.port, logDirectory: logs), to: "icecast.xml")
        server.processes.append(try ChildProcess("/usr/bin/icecast2", ["-c", config], stdout: scratch.file("icecast.out"), stderr: scratch.file("icecast.err")))
        let port = server.port
        guard await eventually(10, { LoopbackPorts.accepts(port) }) else { throw HarnessError("icecast2 did not listen") }
        for (mount, hz, codec) in mounts {
            server.processes.append(try ChildProcess("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi",
                                                                         "-i", "sine=frequency=\(hz):sample_rate=44100", "-ac", "2"] + codec
                                                     + ["icecast://source:\(IcecastServerConfig.sourcePassword)@127.0.0.1:\(port)\(mount)"],
                                                     stdout: scratch.file("source\(hz).out"), stderr: scratch.file("source\(hz).err")))
        }
        let listed = await eventually(20, every: .milliseconds(300)) {
            guard let data = try? Data(contentsOf: URL(string: server.url("/status-json.xsl"))!) else { return false }
            let text = String(decoding: data, as: UTF8.self)
            return mounts.allSatisfy { text.contains($0.0) }
        }
        guard listed else { throw HarnessError("icecast2's mounts did not come up") }
        return server
    }

    /// ffmpeg's HLS muxer writing a live playlist (a sliding window of 1 s segments) in real
    /// time, served by Python's HTTP server; returns the playlist's URL once it has segments.
    static func liveHLS(_ scratch: Scratch, hz: Int) async throws -> Server {
        let folder = scratch.file("hls")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let server = Server(port: try FreePort.next())
        server.processes.append(try ChildProcess("/usr/bin/ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=\(hz):sample_rate=44100", "-ac", "2",
            "-c:a", "aac", "-b:a", "64k", "-f", "hls", "-hls_time", "1", "-hls_list_size", "6", "-hls_flags", "delete_segments",
            "-hls_segment_filename", folder + "/seg%05d.ts", folder + "/live.m3u8",
        ], stdout: scratch.file("hls.out"), stderr: scratch.file("hls.err")))
        server.processes.append(try ChildProcess("/usr/bin/python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, "\(server.port)"],
                                                 stdout: scratch.file("hls-http.out"), stderr: scratch.file("hls-http.err")))
        let ready = await eventually(20, every: .milliseconds(300)) {
            ((try? String(contentsOfFile: folder + "/live.m3u8", encoding: .utf8))?.components(separatedBy: ".ts").count ?? 0) > 3
                && LoopbackPorts.accepts(server.port)
        }
        guard ready else { throw HarnessError("the HLS playlist did not fill") }
        server.path = "/live.m3u8"
        return server
    }

    /// A plain HTTP upstream: an MP3 of `seconds` of a sine, served by Python.
    static func fileServer(_ scratch: Scratch, seconds: Int, hz: Int) async throws -> Server {
        let folder = scratch.file("upstream")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let make = try ChildProcess("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                                                        "-i", "sine=frequency=\(hz):sample_rate=44100:duration=\(seconds)", "-ac", "2",
                                                        "-c:a", "libmp3lame", "-b:a", "64k", folder + "/tone.mp3"],
                                    stdout: scratch.file("make.out"), stderr: scratch.file("make.err"))
        guard await make.waitForExit(seconds: 60) == 0 else { throw HarnessError("ffmpeg could not make the upstream file") }
        let server = Server(port: try FreePort.next())
        server.processes.append(try ChildProcess("/usr/bin/python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, "\(server.port)"],
                                                 stdout: scratch.file("upstream.out"), stderr: scratch.file("upstream.err")))
        let port = server.port
        guard await eventually(10, { LoopbackPorts.accepts(port) }) else { throw HarnessError("the upstream did not listen") }
        server.path = "/tone.mp3"
        return server
    }

    /// `darkice` recording an ALSA `type file` PCM whose `infile` holds a 440 Hz sine (44.1 kHz
    /// stereo; not paced, so darkice runs ahead and the controller's pacing holds it back over
    /// TCP) and pushing MP3 to the Icecast-compatible port for 8 s.
    static func darkice(_ scratch: Scratch, port: Int, mount: String, password: String) throws -> ChildProcess {
        let raw = (0..<(44_100 * 30)).flatMap { i -> [UInt8] in
            let value = Int16(0.4 * 32_767 * sin(2 * Double.pi * 440 * Double(i) / 44_100))
            let bytes = [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
            return bytes + bytes
        }
        let mic = scratch.file("mic.raw")
        try Data(raw).write(to: URL(fileURLWithPath: mic))
        let alsa = try scratch.write("""
            pcm.loamic { type file slave { pcm { type null } } file "/dev/null" infile "\(mic)" format "raw" }
            """, to: "darkice-alsa.conf")
        let config = try scratch.write("""
            [general]
            duration = 8
            bufferSecs = 1
            [input]
            device = loamic
            sampleRate = 44100
            bitsPerSample = 16
            channel = 2
            [icecast2-0]
            bitrateMode = cbr
            format = mp3
            bitrate = 64
            server = 127.0.0.1
            port = \(port)
            password = \(password)
            mountPoint = \(mount)
            name = Loa test studio
            """, to: "darkice.cfg")
        return try ChildProcess("/usr/bin/darkice", ["-c", config], environment: ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(alsa)"],
                                stdout: scratch.file("darkice.out"), stderr: scratch.file("darkice.err"))
    }

    /// A TCP proxy on loopback (Python) between a gateway and the controller, stopped (killed:
    /// its connections drop) and started again on the same port to cut the gateway off.
    final class Proxy: @unchecked Sendable {
        let port: Int
        let target: Int
        let scratch: Scratch
        private var process: ChildProcess?
        static let script = """
            import socket, sys, threading
            server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(('127.0.0.1', int(sys.argv[1]))); server.listen(16)
            def pipe(a, b):
                try:
                    while True:
                        data = a.recv(65536)
                        if not data: break
                        b.sendall(data)
                except OSError: pass
                for s in (a, b):
                    try: s.shutdown(socket.SHUT_RDWR)
                    except OSError: pass
            while True:
                client, _ = server.accept()
                try: upstream = socket.create_connection(('127.0.0.1', int(sys.argv[2])))
                except OSError: client.close(); continue
                threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
                threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
            """

        init(_ scratch: Scratch, to target: Int) throws {
            self.scratch = scratch
            self.target = target
            port = try FreePort.next()
            try start()
        }

        func start() throws {
            process = try ChildProcess("/usr/bin/python3", ["-c", Self.script, "\(port)", "\(target)"],
                                       stdout: scratch.file("proxy.out"), stderr: scratch.file("proxy.err"))
            let port = self.port
            for _ in 0..<100 where !LoopbackPorts.accepts(port) { usleep(50_000) }
        }

        func stop() {
            guard let process else { return }
            self.process = nil
            kill(process.pid, SIGKILL)
            for _ in 0..<100 where process.isRunning { usleep(20_000) }
        }
    }
}
