import Foundation
import LoaAudio
import LoaProtocol
import LoaTestSupport
import NIOCore
import Testing
@testable import LoaController

/// The Icecast-compatible port with real clients: the `ffmpeg` program pushing a 440 Hz sine as
/// an Icecast source (`SOURCE` with `-legacy_icecast 1`, `PUT` without; MP3 and AAC), two
/// gateway peers of the area getting it, `mpg123` listening on the same port, and the refusals.
@Suite(.serialized, .enabled(if: ListenTools.present, "needs /usr/bin/ffmpeg, ffprobe, mpg123 and python3"))
struct IcecastIngestTests {
    struct Rig {
        let h: APIHarness
        let port: IcecastPort
        let icecastPort: Int
        let peers: [LivePeer]

        static func start() async throws -> Rig {
            let h = try await APIHarness.start(live: LiveSettings(relayStallTimeout: .seconds(5)))
            let port = IcecastPort(hub: try #require(h.services.live), group: h.group, logger: TestLog.quiet)
            let bound = try await port.start(host: "127.0.0.1", port: 0)
            let peers = [try await LiveRelayTests.peer("xa-tan-lap-01", h), try await LiveRelayTests.peer("xa-tan-lap-02", h)]
            #expect(await eventually { h.fleet.registry.count == 2 })
            return Rig(h: h, port: port, icecastPort: bound, peers: peers)
        }

        /// ffmpeg pushing `seconds` of a 440 Hz sine (44.1 kHz stereo) to `/live/ID` in real time.
        func encoder(_ id: Int, key: String, codec: [String], legacy: Bool, seconds: Int = 4, log: String) throws -> pid_t {
            try Tool.spawn(RelayTools.ffmpeg, ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi",
                                              "-i", "sine=frequency=440:sample_rate=44100:duration=\(seconds)", "-ac", "2"]
                           + codec + ["-legacy_icecast", legacy ? "1" : "0",
                                      "icecast://source:\(key)@127.0.0.1:\(icecastPort)/live/\(id)"],
                           stdout: h.dir.path(log))
        }
    }

    static let mp3 = ["-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3"]
    static let aac = ["-c:a", "aac", "-b:a", "96k", "-content_type", "audio/aac", "-f", "adts"]

    @Test(arguments: [(legacy: true, aac: false), (legacy: false, aac: false), (legacy: false, aac: true), (legacy: true, aac: true)])
    func anIcecastSourcePlaysOnTheAreasGateways(legacy: Bool, aac: Bool) async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.port.stop() } }
        try await rig.h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: #"{"areaId":"xa-tan-lap","title":"Studio"}"#)
            let id = try #require(created.object["id"] as? Int)
            let key = try #require(created.object["sourceKey"] as? String)
            let listenKey = try #require((created.object["listenPath"] as? String)?.components(separatedBy: "key=").last)
            // A player on the same port, tuned in while the stream still waits for its studio (a
            // player that joined after the 4 s source could find it ended on a loaded machine).
            let wav = rig.h.dir.path("heard.wav")
            let hub = try #require(rig.h.services.live)
            let player = try Tool.spawn(ListenTools.mpg123, ["-w", wav, "http://127.0.0.1:\(rig.icecastPort)/live/\(id)?key=\(listenKey)"],
                                        stdout: rig.h.dir.path("mpg123.log"))
            #expect(await eventually { await hub.listeners(of: Int64(id)) == 1 }, "mpg123 never joined: \(rig.h.dir.read("mpg123.log"))")
            let encoder = try rig.encoder(id, key: key, codec: aac ? Self.aac : Self.mp3, legacy: legacy, log: "ffmpeg.log")
            #expect(await rig.peers[0].wait(seconds: 20) { !$0.starts.isEmpty }, "not on air: \(rig.h.dir.read("ffmpeg.log"))")
            #expect(await LiveLoopbackTests.exitStatus(encoder, seconds: 30) == 0, "ffmpeg: \(rig.h.dir.read("ffmpeg.log"))")
            for peer in rig.peers {
                #expect(await peer.wait(seconds: 20) { !$0.ends.isEmpty }, "no liveEnd")
                let (seconds, hz) = try LiveRelayTests.measure(peer)
                #expect(abs(seconds - 4) < 0.6, "\(seconds) s played of the encoder's 4 s")
                #expect(abs(hz - 440) < 5, "\(hz) Hz, the encoder sent 440 Hz")
            }
            // The server ends the listener's response with the stream. (mpg123 then normally exits
            // 0 at the EOF; twice in a full CI run it was still running 20 s later with nothing in its
            // log — so an mpg123 that lingers is stopped with SIGINT, which closes its WAV, and
            // what it heard is checked all the same.)
            #expect(await eventually { await hub.listeners(of: Int64(id)) == 0 }, "the listener's response outlived the stream")
            var played = await LiveLoopbackTests.exitStatus(player, seconds: 20)
            if played == nil {
                kill(player, SIGINT)
                played = await LiveLoopbackTests.exitStatus(player, seconds: 10).map { _ in 0 }
            }
            #expect(played == 0, "mpg123 exited \(played.map(String.init) ?? "not at all"): \(rig.h.dir.read("mpg123.log"))")
            let heard = try WAVFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: wav)))).audio.samples
            #expect(heard.count > 24_000, "mpg123 heard \(heard.count) samples")
            let middle = Array(heard.dropFirst(heard.count / 4).prefix(heard.count / 2))
            #expect(abs(IcecastRelayTests.hz(middle) - 440) < 5, "mpg123 heard \(IcecastRelayTests.hz(middle)) Hz")
            let ended = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(ended.object["state"] as? String == "ended" && ended.object["endReason"] as? String == "source ended", "\(ended.text)")
        }
    }

    @Test func wrongKeysUnknownMountsAndRelaysAreRefused() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.port.stop() } }
        try await rig.h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: #"{"areaId":"xa-tan-lap","title":"Studio"}"#)
            let id = try #require(created.object["id"] as? Int)
            let encoder = try rig.encoder(id, key: "not-the-key", codec: Self.mp3, legacy: true, log: "wrong.log")
            #expect(await LiveLoopbackTests.exitStatus(encoder, seconds: 20) != 0, "ffmpeg with a wrong password was let in")
            for (head, status) in [
                ("SOURCE /live/\(id) HTTP/1.0\r\nAuthorization: Basic \(Data("source:wrong".utf8).base64EncodedString())\r\n\r\n", "401"),
                ("SOURCE /live/\(id) HTTP/1.0\r\n\r\n", "401"),
                ("SOURCE /live/999 HTTP/1.0\r\n\r\n", "404"),
                ("SOURCE /vov1.mp3 HTTP/1.0\r\n\r\n", "404"),
                ("DELETE /live/\(id) HTTP/1.1\r\n\r\n", "405"),
                ("GET /live/\(id)?key=wrong HTTP/1.0\r\n\r\n", "401"),
                ("GET /live/\(id) HTTP/1.0\r\n" + String(repeating: "X-Pad: 0123456789\r\n", count: 600), "431"),
                ("\u{1}\u{2}garbage\r\n\r\n", "400"),
            ] {
                let answer = try Self.exchange(head, port: rig.icecastPort)
                #expect(answer.hasPrefix("HTTP/1.0 \(status)"), "\(head.prefix(40)): \(answer)")
            }
            let audit = try await api.call(.get, "/api/v1/audit?action=live.source.refused", as: "admin")
            #expect(audit.text.contains("icecast"), "\(audit.text.prefix(400))")
            let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(stream.object["state"] as? String == "waiting", "the stream still waits for its encoder: \(stream.text)")
            #expect(rig.peers.allSatisfy { $0.all.isEmpty })
        }
    }

    /// Sends `head` on a fresh connection and returns what comes back before the close.
    static func exchange(_ head: String, port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = LoopbackPorts.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = Array(head.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// The head parser alone.
struct IcecastRequestTests {
    @Test func sourcesAndListenersAreRead() throws {
        let source = try IcecastRequest.parse(Array("""
            SOURCE /live/7.mp3 HTTP/1.0\r
            Authorization: Basic \(Data("source:k3y:with:colons".utf8).base64EncodedString())\r
            Content-Type: audio/mpeg\r
            ice-name: Đài xã\r
            icy-genre: News\r
            \r

            """.utf8))
        #expect(source == IcecastRequest(method: .source, streamID: 7, password: "k3y:with:colons", listenKey: nil, contentType: "audio/mpeg",
                                         expectsContinue: false, metadata: ["ice-name": "Đài xã", "icy-genre": "News"]))
        let put = try IcecastRequest.parse(Array("PUT /live/12 HTTP/1.1\r\nExpect: 100-continue\r\nContent-Type: audio/aac; x=y\r\n\r\n".utf8))
        #expect(put.method == .put && put.expectsContinue && put.contentType == "audio/aac")
        let get = try IcecastRequest.parse(Array("GET /live/3?key=a%2Db&x=1 HTTP/1.0\r\n\r\n".utf8))
        #expect(get.method == .get && get.listenKey == "a-b" && get.streamID == 3)
        #expect(IcecastRequest.headEnd(Array("GET / HTTP/1.0\r\n\r\nrest".utf8)) == 18)
        #expect(IcecastRequest.headEnd(Array("GET / HTTP/1.0\r\n".utf8)) == nil)
        // darkice ends its header lines with a bare line feed, the head with CRLF CRLF.
        let darkice = Array("SOURCE /live/4 HTTP/1.0\nContent-type: audio/mpeg\nAuthorization: Basic \(Data("source:k".utf8).base64EncodedString())\nice-name: t\r\n\r\nAUDIO".utf8)
        let end = try #require(IcecastRequest.headEnd(darkice))
        #expect(String(decoding: darkice[end...], as: UTF8.self) == "AUDIO")
        let parsed = try IcecastRequest.parse(Array(darkice[..<end]))
        #expect(parsed.method == .source && parsed.password == "k" && parsed.contentType == "audio/mpeg" && parsed.metadata == ["ice-name": "t"])
    }

    @Test func badHeadsAreRefusedWithAStatus() throws {
        for (head, status) in [("GET /live/0 HTTP/1.0\r\n\r\n", 404), ("GET /live/-1 HTTP/1.0\r\n\r\n", 404),
                               ("GET /live/99999999999999999999 HTTP/1.0\r\n\r\n", 404), ("POST /live/1 HTTP/1.0\r\n\r\n", 405),
                               ("SOURCE /live/1\r\n\r\n", 400), ("SOURCE /live/1 HTTP/1.0\r\nno colon\r\n\r\n", 400),
                               ("SOURCE /live/1 HTTP/1.0\r\nAuthorization: Bearer x\r\n\r\n", 401),
                               ("SOURCE /live/1 HTTP/1.0\r\nAuthorization: Basic !!!\r\n\r\n", 401)] {
            #expect(throws: IcecastRequest.Refusal.self, "\(head)") { try IcecastRequest.parse(Array(head.utf8)) }
            #expect((try? IcecastRequest.parse(Array(head.utf8))) == nil)
            do { _ = try IcecastRequest.parse(Array(head.utf8)) } catch { #expect(error.status == status, "\(head): \(error)") }
        }
        #expect(throws: IcecastRequest.Refusal.self) { try IcecastRequest.container(forContentType: "text/html") }
        #expect(try IcecastRequest.container(forContentType: "audio/aacp") == "aac")
        #expect(try IcecastRequest.container(forContentType: nil) == nil)
    }
}
