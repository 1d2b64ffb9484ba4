import Foundation
import LoaAudio
import LoaProtocol
import LoaTestSupport
import NIOCore
import Testing
@testable import LoaController

/// Listen URLs: real programs (`ffmpeg`, `ffprobe`, Python's urllib) read a stream's listen URL
/// over a real socket while two gateway peers get the same stream; keys and tokens guard it; a
/// listener that does not keep up is cut loose without touching the gateways.
@Suite(.serialized, .enabled(if: ListenTools.present, "needs /usr/bin/ffmpeg, ffprobe, mpg123 and python3"))
struct LiveListenTests {
    @Test func programsReadTheListenURLWhileTwoGatewaysGetTheSameStream() async throws {
        let h = try await APIHarness.start(live: LiveSettings(relayReconnectFor: .zero))
        let upstream = try await LiveRelayTests.Upstream(in: h.dir)
        defer { upstream.stop() }
        let first = try await LiveRelayTests.peer("xa-tan-lap-01", h)
        let second = try await LiveRelayTests.peer("xa-tan-lap-02", h)
        #expect(await eventually { h.fleet.registry.count == 2 })
        try await h.run(live: true) { api in
            let port = try #require(api.port)
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                             json: #"{"areaId":"xa-tan-lap","title":"Tiếp sóng VOV1","relayUrl":""# + upstream.url("tone.mp3") + #""}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.object["id"] as? Int)
            let path = try #require(created.object["listenPath"] as? String)
            #expect(path.hasPrefix("/api/v1/live/\(id)/listen?key="))
            let url = "http://127.0.0.1:\(port)\(path)"
            let wav = h.dir.path("listened.wav"), raw = h.dir.path("listened.mp3")
            // An HTTP/1.1 player (ffmpeg); HTTP/1.0 ones such as mpg123 use the Icecast-compatible port (IcecastIngestTests).
            let player = try Tool.spawn(RelayTools.ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", url, "-y", wav], stdout: h.dir.path("player.log"))
            let probe = try Tool.spawn(ListenTools.ffprobe, ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels",
                                                             "-of", "default=noprint_wrappers=1", url], stdout: h.dir.path("ffprobe.out"))
            let copy = try Tool.spawn(ListenTools.python, ["-c", "import sys,urllib.request; open(sys.argv[2],'wb').write(urllib.request.urlopen(sys.argv[1]).read())",
                                                           url, raw], stdout: h.dir.path("urllib.log"))
            let listening = try await eventually(seconds: 10) {
                (try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen").object["listeners"] as? Int ?? 0) >= 2
            }
            #expect(listening, "the listeners never showed in the stream's status")
            // The relay's upstream ends after 4 s: the stream ends, and so does every listener's response.
            #expect(await first.wait(seconds: 40) { !$0.ends.isEmpty }, "no liveEnd")
            #expect(await LiveLoopbackTests.exitStatus(player, seconds: 20) == 0, "\(h.dir.read("player.log"))")
            #expect(await LiveLoopbackTests.exitStatus(probe, seconds: 20) == 0, "\(h.dir.read("ffprobe.out"))")
            #expect(await LiveLoopbackTests.exitStatus(copy, seconds: 20) == 0, "\(h.dir.read("urllib.log"))")

            let probed = h.dir.read("ffprobe.out")
            #expect(probed.contains("codec_name=mp3") && probed.contains("sample_rate=24000") && probed.contains("channels=1"), "\(probed)")
            let heard = try WAVFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: wav))))
            #expect(heard.audio.format == AudioFormat(sampleRate: 24_000, channels: 1), "\(heard.audio.format)")
            let samples = heard.audio.samples
            #expect(Double(samples.count) / 24_000 > 2, "the player heard \(Double(samples.count) / 24_000) s")
            // The tone's middle (a listener may join mid-frame; the relay's start and end fade).
            let middle = Array(samples.dropFirst(samples.count / 4).prefix(samples.count / 2))
            #expect(abs(IcecastRelayTests.hz(middle) - 440) < 5, "the player heard \(IcecastRelayTests.hz(middle)) Hz")
            // What the listener got is the stream as the gateways got it: whole payloads, from some payload on.
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: raw)))
            let payloads = first.audio.map(\.mp3)
            #expect(payloads == second.audio.map(\.mp3), "both gateways got the same stream")
            let joinedAt = payloads.indices.first { Array(payloads[$0...].joined()) == bytes }
            #expect(joinedAt != nil && bytes.count > 1_000, "the listener's \(bytes.count) bytes are not a tail of the \(payloads.count) payloads")
            let ended = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(ended.object["listenPath"] == nil && ended.object["listeners"] as? Int == 0, "\(ended.text)")
        }
    }

    @Test func keysAndTokensGuardListenURLs() async throws {
        let h = try await APIHarness.start(live: LiveSettings())
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: #"{"areaId":"xa-tan-lap","title":"Họp dân"}"#)
            let id = try #require(created.object["id"] as? Int)
            let wrong = try await api.call(.get, "/api/v1/live/\(id)/listen?key=not-the-key", as: nil)
            #expect(wrong.status == 401 && wrong.errorMessage?.contains("wrong listen key") == true, "\(wrong.text)")
            let none = try await api.call(.get, "/api/v1/live/\(id)/listen", as: nil)
            #expect(none.status == 401 && none.errorMessage?.contains("listen key") == true, "\(none.text)")
            let otherProvince = try await api.call(.get, "/api/v1/live/\(id)/listen", as: "op-nghe-an")
            #expect(otherProvince.status == 404 || otherProvince.status == 403, "\(otherProvince.text)")
            let byQuery = try await api.call(.get, "/api/v1/live/\(id)/listen?token=\(api.tokens["op-nghe-an"]!)", as: nil)
            #expect(byQuery.status == otherProvince.status, "\(byQuery.text)")
            let area = try await api.call(.get, "/api/v1/areas/xa-tan-lap/listen", as: "bt-tan-lap")
            #expect(area.status == 404 && area.errorMessage?.contains("nothing is on air") == true, "\(area.text)")
            let foreignArea = try await api.call(.get, "/api/v1/areas/xa-tan-lap/listen", as: "op-nghe-an")
            #expect(foreignArea.status == 404 || foreignArea.status == 403, "\(foreignArea.text)")
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "op-cam-xuyen").status == 204)
            let key = try #require((created.object["listenPath"] as? String)?.components(separatedBy: "key=").last)
            let ended = try await api.call(.get, "/api/v1/live/\(id)/listen?key=\(key)", as: nil)
            #expect(ended.status == 410, "\(ended.text)")
        }
    }

    /// The hub's rule without sockets: a listener that reads nothing gets `listenerBacklog`
    /// payloads and is then cut loose (its stream ends, the metric counts it); the stream and a
    /// listener who joins later go on.
    @Test func aListenerThatFallsBehindIsCutLoose() async throws {
        var settings = LiveSettings()
        settings.listenerBacklog = 5
        settings.maxListeners = 2
        let h = try await APIHarness.start(live: settings)
        defer { Task { await h.stop() } }
        let hub = try #require(h.services.live)
        let stream = try await h.database.createLiveStream(
            NewLiveStream(areaID: "xa-tan-lap", title: "Họp dân", priority: 200, onBusy: .preempt, onInterrupt: .drop,
                          sourceKeySHA256: LoginToken.random().sha256, listenKey: LoginToken.random().value),
            origin: AuditOrigin(actor: "op-cam-xuyen"))
        _ = try await hub.attachSource(stream.id, closeSource: {})
        #expect(await hub.goOnAir(stream.id, startAtMs: 0) != nil)
        let slow = try await hub.listen(stream.id)
        let payload = { (n: UInt32) in LiveAudio(streamId: UInt32(stream.id), sequence: n, presentationTime: Int64(n), mp3: [0xFF, 0xF3, UInt8(n)]) }
        for n in 0..<8 { #expect(await hub.publish(stream.id, payload(UInt32(n)), bytesReceived: 0)) }
        var got: [UInt8] = []
        for await buffer in slow { got.append(buffer.getInteger(at: 2)!) }
        #expect(got == [0, 1, 2, 3, 4], "a slow listener keeps what it had and is cut after its backlog")
        #expect(h.fleet.metrics.render(gatewaysOnline: 0).contains("loa_live_listeners_cut_total 1"))
        let later = try await hub.listen(stream.id)
        let another = try await hub.listen(stream.id)
        await #expect(throws: LiveHubError.tooManyListeners(2)) { _ = try await hub.listen(stream.id) }
        #expect(await hub.publish(stream.id, payload(8), bytesReceived: 0))
        var iterator = later.makeAsyncIterator()
        #expect(await iterator.next()?.getInteger(at: 2, as: UInt8.self) == 8)
        await hub.end(stream.id, reason: LiveEndReason.stoppedByOperator, origin: .controller)
        #expect(await iterator.next() == nil, "the stream's end ends its listeners")
        withExtendedLifetime(another) {}
    }
}

enum ListenTools {
    static let mpg123 = "/usr/bin/mpg123", ffprobe = "/usr/bin/ffprobe", python = RelayTools.python
    static var present: Bool {
        RelayTools.present && [mpg123, ffprobe].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
