import Foundation
import LoaAudio
import LoaProtocol
import LoaTestSupport
import Testing
@testable import LoaController

/// The controller's microphone with a real ALSA capture PCM (a `type file` PCM whose `infile`
/// holds 3 s of a 440 Hz tone, then zeros): a stream created with `captureDevice` goes on air
/// at once, the area's gateway peers get the tone, a stop ends it; devices not in
/// `live.capture_devices` and devices that fail are refused or end the stream with the reason.
@Suite(.serialized)
struct LiveCaptureTests {
    static func settings(_ mic: ScratchDirectory) throws -> LiveSettings {
        let tone = (0..<72_000).map { Int16(0.4 * 32_767 * sin(2 * Double.pi * 440 * Double($0) / 24_000)) }
        try Data(tone.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] })
            .write(to: URL(fileURLWithPath: mic.path("mic.raw")))
        var settings = LiveSettings()
        settings.captureDevices = [
            "mic": .filePCM(name: "loamic", path: mic.path("echo.raw"), inputPath: mic.path("mic.raw")),
            "broken": .named("loa-no-such-pcm"),
        ]
        return settings
    }

    @Test func aStreamFromTheControllersMicrophoneReachesTheAreasGateways() async throws {
        let mic = try ScratchDirectory("loa-mic")
        defer { mic.cleanup() }
        let h = try await APIHarness.start(live: try Self.settings(mic))
        let peers = [try await LiveRelayTests.peer("xa-tan-lap-01", h), try await LiveRelayTests.peer("xa-tan-lap-02", h)]
        #expect(await eventually { h.fleet.registry.count == 2 })
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                             json: #"{"areaId":"xa-tan-lap","title":"Thông báo khẩn","captureDevice":"mic"}"#)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.object["captureDevice"] as? String == "mic")
            let id = try #require(created.object["id"] as? Int)
            // 3 s of tone is about 13 payloads of 240 ms; wait for 4 s' worth, then stop.
            #expect(await peers[0].wait(seconds: 20) { $0.audio.count >= 17 }, "\(peers[0].audio.count) payloads")
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "op-cam-xuyen").status == 204)
            for peer in peers {
                #expect(await peer.wait(seconds: 10) { !$0.ends.isEmpty }, "no liveEnd")
                #expect(peer.starts.count == 1 && peer.starts.first?.streamId == UInt32(id))
                let samples = try IcecastRelayTests.decode(peer.audio).joined()
                let tone = Array(samples.dropFirst(2_400).prefix(48_000))
                #expect(abs(IcecastRelayTests.hz(tone) - 440) < 5, "the gateways got \(IcecastRelayTests.hz(tone)) Hz")
            }
            let ended = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(ended.object["endReason"] as? String == "stopped by operator", "\(ended.text)")
        }
    }

    @Test func devicesNotListedOrFailingAreRefusedOrEndTheStream() async throws {
        let mic = try ScratchDirectory("loa-mic")
        defer { mic.cleanup() }
        let h = try await APIHarness.start(live: try Self.settings(mic))
        try await h.run { api in
            let devices = try await api.call(.get, "/api/v1/live/devices", as: "bt-tan-lap")
            #expect(devices.object["items"] as? [String] == ["broken", "mic"], "\(devices.text)")
            let unlisted = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                              json: #"{"areaId":"xa-tan-lap","title":"x","captureDevice":"file:'/etc/passwd'"}"#)
            #expect(unlisted.status == 422 && unlisted.errorMessage?.contains("broken, mic") == true, "\(unlisted.text)")
            let both = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                          json: #"{"areaId":"xa-tan-lap","title":"x","captureDevice":"mic","relayUrl":"http://127.0.0.1:1/x.mp3"}"#)
            #expect(both.status == 422 && both.errorMessage?.contains("not both") == true, "\(both.text)")
            let broken = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen",
                                            json: #"{"areaId":"xa-tan-lap","title":"x","captureDevice":"broken"}"#)
            #expect(broken.status == 201, "\(broken.text)")
            let id = try #require(broken.object["id"] as? Int)
            var reason = ""
            let ended = try await eventually(seconds: 10) {
                let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
                reason = stream.object["endReason"] as? String ?? ""
                return stream.object["state"] as? String == "ended"
            }
            #expect(ended && reason.hasPrefix("capture failed: microphone 'broken'"), "\(reason)")
        }
    }
}
