import Foundation
import LoaAudio
import LoaProtocol
import LoaTestSupport
import Testing
@testable import LoaController

/// A relay of a real Icecast server (Debian's `icecast2`, configured by the test) fed by the
/// `ffmpeg` program with a 440 Hz sine, killed mid-relay and started again: the relay reopens
/// the upstream within `relayReconnectFor`, the stream is never ended or restarted for the
/// gateways, and what they get holds the tone before and after the gap.
@Suite(.serialized, .enabled(if: IcecastTools.present, "needs /usr/bin/icecast2, /usr/bin/ffmpeg and /usr/bin/python3"))
struct IcecastRelayTests {
    static let icecast = IcecastTools.icecast

    /// One Icecast server and the ffmpeg source on its mount; `kill()` and `start()` again.
    /// Used by one test at a time.
    final class Station: @unchecked Sendable {
        let dir: ScratchDirectory
        let port = LoopbackPorts.free()
        let mount = "/vov1.mp3"
        private var pids: [pid_t] = []

        init(dir: ScratchDirectory) throws {
            self.dir = dir
            let logs = dir.path("icecast")
            try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
            chmod(logs, 0o777)
            try IcecastServerConfig.xml(port: port, logDirectory: logs).write(toFile: dir.path("icecast.xml"), atomically: true, encoding: .utf8)
        }

        var url: String { "http://127.0.0.1:\(port)\(mount)" }

        /// Starts the server and the source; true once the mount is listed on the status page.
        func start() async throws -> Bool {
            pids.append(try Tool.spawn(IcecastRelayTests.icecast, ["-c", dir.path("icecast.xml")], stdout: dir.path("icecast.log")))
            let port = self.port
            guard await eventually(seconds: 10, { LoopbackPorts.accepts(port) }) else { return false }
            pids.append(try Tool.spawn(RelayTools.ffmpeg, [
                "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3",
                "icecast://source:\(IcecastServerConfig.sourcePassword)@127.0.0.1:\(port)\(mount)",
            ], stdout: dir.path("ffmpeg-source.log")))
            let probe = "import urllib.request,sys; sys.exit(0 if b'\(mount)' in urllib.request.urlopen('http://127.0.0.1:\(port)/status-json.xsl', timeout=2).read() else 1)"
            for _ in 0..<40 {
                let pid = try Tool.spawn(RelayTools.python, ["-c", probe], stdout: dir.path("probe.log"))
                if await LiveLoopbackTests.exitStatus(pid, seconds: 5) == 0 { return true }
                try await Task.sleep(for: .milliseconds(250))
            }
            return false
        }

        /// SIGKILL (a child spawned from the test process inherits its blocked SIGTERM).
        func kill() {
            for pid in pids {
                Foundation.kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            pids = []
        }
    }

    /// The frequency of a run of decoded samples, from zero crossings.
    static func hz(_ samples: [Float]) -> Double {
        var crossings = 0
        for index in samples.indices.dropFirst() where (samples[index - 1] < 0) != (samples[index] < 0) { crossings += 1 }
        return Double(crossings) / 2 / max(0.001, Double(samples.count) / 24_000)
    }

    /// What the payloads decode to, each payload's samples apart.
    static func decode(_ payloads: [LiveAudio]) throws -> [[Float]] {
        let decoder = try MP3Decoder()
        return try payloads.map { try decoder.decode($0.mp3)?.samples ?? [] }
    }

    @Test func aRelayRidesOutItsIcecastServerBeingKilledAndStartedAgain() async throws {
        let h = try await APIHarness.start(live: LiveSettings(relayStallTimeout: .seconds(3), relayReconnectFor: .seconds(30)))
        let station = try Station(dir: h.dir)
        defer { station.kill() }
        #expect(try await station.start(), "the Icecast mount never came up: \(String(describing: try? String(contentsOfFile: h.dir.path("icecast.log"), encoding: .utf8)))")
        let peer = try await LiveRelayTests.peer("xa-tan-lap-01", h)
        #expect(await eventually { h.fleet.registry.count == 1 })
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                             json: #"{"areaId":"xa-tan-lap","title":"Tiếp sóng VOV1","relayUrl":""# + station.url + #""}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.object["id"] as? Int)
            // About 3 s on air (payloads are ~240 ms), then the server goes down.
            #expect(await peer.wait(seconds: 30) { $0.audio.count >= 12 }, "not on air: \(peer.all.count) messages")
            station.kill()
            let beforeGap = peer.audio.count
            try await Task.sleep(for: .seconds(2))
            #expect(try await station.start(), "Icecast did not come back")
            #expect(await peer.wait(seconds: 30) { $0.audio.count >= beforeGap + 16 }, "no audio after the restart: \(peer.audio.count) payloads, \(beforeGap) before the gap")
            let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(stream.object["state"] as? String == "on-air", "\(stream.text)")
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "op-cam-xuyen").status < 300)
            #expect(await peer.wait(seconds: 10) { !$0.ends.isEmpty })
            #expect(peer.starts.count == 1, "the gateways saw one stream, not a restart")
            let audio = peer.audio
            #expect(audio.map(\.sequence) == (0..<UInt32(audio.count)).map { $0 }, "sequences consecutive across the gap")
            let decoded = try Self.decode(audio)
            let before = Array(decoded[2..<(beforeGap - 1)].joined())
            // The last payloads: well after the gap, however long the reconnect took, and of those
            // the ones that sound (on a loaded machine the relay can still bridge a stall of the
            // restarted upstream with a payload of silence; whole payloads only, so the tone's
            // cycles are not cut).
            let tail = decoded[max(beforeGap + 4, audio.count - 10)..<(audio.count - 2)]
            let sounding = tail.filter { ($0.map(abs).max() ?? 0) > 0.05 }
            #expect(sounding.count * 2 >= tail.count, "after the gap: \(sounding.count) of the last \(tail.count) payloads sound")
            let after = Array(sounding.joined())
            #expect(abs(Self.hz(before) - 440) < 5, "before the gap: \(Self.hz(before)) Hz")
            #expect(abs(Self.hz(after) - 440) < 5, "after the gap: \(Self.hz(after)) Hz")
        }
    }
}

enum IcecastTools {
    static let icecast = "/usr/bin/icecast2"
    static var present: Bool {
        [icecast, RelayTools.ffmpeg, RelayTools.python].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
