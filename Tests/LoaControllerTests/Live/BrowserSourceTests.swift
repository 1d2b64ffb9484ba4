import Foundation
import Hummingbird
import LoaAudio
import LoaProtocol
import Testing
@testable import LoaController

/// A browser's microphone as a live source: WAV segments numbered from 0 posted to
/// `/api/v1/live/{id}/segments`. The book's decisions and the segment's format without a socket;
/// then through the API to gateway peers of the area — the tone they hear, the refusals in words
/// (order, duplicates, size, format, session, scope) and the end when the browser goes quiet.
@Suite(.serialized)
struct BrowserSourceTests {
    static let start = ContinuousClock.now
    static let mono48 = AudioFormat(sampleRate: 48_000, channels: 1)

    // MARK: - The book

    @Test func theBookTakesOneSessionsSegmentsInOrderOneAtATime() throws {
        var book = BrowserSourceBook()
        let t = Self.start
        func admit(_ sequence: UInt64, owner: String = "a", format: AudioFormat = Self.mono48,
                   at time: ContinuousClock.Instant = Self.start) -> Result<BrowserSourceBook.Admission, BrowserSourceError> {
            Result { () throws(BrowserSourceError) in try book.admit(7, sequence: sequence, owner: owner, user: "op-\(owner)", format: format, at: time) }
        }
        #expect(admit(3) == .failure(.notStarted(sequence: 3)))
        #expect(admit(0) == .success(.open))
        #expect(admit(1) == .failure(.busy(sequence: 1)), "segment 0 is still being fed")
        book.fed(7, at: t)
        #expect(admit(1, owner: "b") == .failure(.notYours(owner: "op-a")))
        #expect(admit(0) == .failure(.duplicate(sequence: 0, expected: 1)))
        #expect(admit(2) == .failure(.outOfOrder(sequence: 2, expected: 1)))
        #expect(admit(1, format: AudioFormat(sampleRate: 44_100, channels: 1))
                == .failure(.formatChanged(was: Self.mono48, now: AudioFormat(sampleRate: 44_100, channels: 1))))
        #expect(admit(1, at: t + .seconds(1)) == .success(.feed))
        book.fed(7, at: t + .seconds(1))
        #expect(book.idle(at: t + .seconds(5.5), after: .seconds(5)).isEmpty)
        #expect(book.idle(at: t + .seconds(6), after: .seconds(5)) == [7])
        book.close(7)
        #expect(book.idle(at: t + .seconds(9), after: .seconds(5)).isEmpty, "a closing source is not ended twice")
        #expect(admit(2) == .failure(.closed))
        book.remove(7)
        #expect(book.isEmpty && admit(0) == .success(.open), "after its end the stream's next source starts at 0")
    }

    /// Segments the controller does not take, by what is wrong with them.
    static let refused: [String: [UInt8]] = [
        "not WAV": TestAudio.randomBytes(2_000),
        "96 kHz": BrowserSourceTests.wav(Array(repeating: 0, count: 48_000), rate: 96_000),
        "3 channels": BrowserSourceTests.wav(Array(repeating: 0, count: 3 * 4_800), rate: 48_000, channels: 3),
        "3 s long": BrowserSourceTests.wav(Array(repeating: 0, count: 3 * 8_000), rate: 8_000),
        "float32": {
            var float = BrowserSourceTests.wav(Array(repeating: 0, count: 480), rate: 48_000)
            float[20] = 3  // wFormatTag 3: IEEE float, 32 bits, 4-byte frames
            float[34] = 32
            float[32] = 4
            float[28] = 0x00; float[29] = 0xEE; float[30] = 0x02  // 192 000 bytes a second
            return float
        }(),
    ]

    @Test(arguments: ["not WAV", "96 kHz", "3 channels", "3 s long", "float32"])
    func segmentsOfOtherFormatsAreRefused(what: String) throws {
        let bytes = try #require(Self.refused[what])
        do {
            _ = try BrowserSegment.decode(bytes, maxSeconds: 2)
            Issue.record("\(what) was taken")
        } catch {
            switch (what, error) {
            case ("not WAV", .notWAV), ("3 s long", .tooLong(seconds: 3, limit: 2)): break
            case (_, .unsupportedFormat(let reason)) where what != "not WAV" && what != "3 s long":
                #expect(reason.contains(what == "float32" ? "32-bit float" : what == "96 kHz" ? "96000 Hz" : "3 ch"), "\(reason)")
            default: Issue.record("\(what): \(error)")
            }
        }
    }

    @Test func aSegmentOfTwoSecondsAt48kHzIsTaken() throws {
        let pcm = try BrowserSegment.decode(Self.wav(Array(repeating: 0, count: 96_000), rate: 48_000), maxSeconds: 2)
        #expect(pcm.frameCount == 96_000 && pcm.format == Self.mono48)
    }

    // MARK: - Through the API

    /// A continuous tone cut into `count` segments of 0.5 s at 48 kHz mono.
    static func toneSegments(_ count: Int, frequency: Double = 440) -> [[UInt8]] {
        let perSegment = 24_000
        return (0..<count).map { segment in
            Self.wav((0..<perSegment).map { i in
                let n = Double(segment * perSegment + i)
                return Int16(0.3 * 32_767 * sin(2 * Double.pi * frequency * n / 48_000))
            }, rate: 48_000)
        }
    }

    static func wav(_ samples: [Int16], rate: Int, channels: Int = 1) -> [UInt8] {
        let data = samples.flatMap { TestAudio.le16(UInt16(bitPattern: $0)) }
        var bytes = Array("RIFF".utf8) + TestAudio.le32(UInt32(36 + data.count)) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + TestAudio.le32(16) + TestAudio.le16(1) + TestAudio.le16(UInt16(channels)) + TestAudio.le32(UInt32(rate))
        bytes += TestAudio.le32(UInt32(rate * channels * 2)) + TestAudio.le16(UInt16(channels * 2)) + TestAudio.le16(16)
        return bytes + Array("data".utf8) + TestAudio.le32(UInt32(data.count)) + data
    }

    static let wavHeaders: HTTPFields = [.contentType: "audio/wav"]

    static func settings() -> LiveSettings {
        var settings = LiveSettings()
        settings.browserSourceTimeout = .seconds(2)
        return settings
    }

    @Test func aBrowsersSegmentsReachTheAreasGatewaysAndTheStreamEndsWhenTheyStop() async throws {
        let h = try await APIHarness.start(live: Self.settings())
        let peer = try await LiveRelayTests.peer("xa-tan-lap-01", h)
        #expect(await eventually { h.fleet.registry.count == 1 })
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: #"{"areaId":"xa-tan-lap","title":"Micro trình duyệt"}"#)
            let id = try #require(created.object["id"] as? Int)
            let path = "/api/v1/live/\(id)/segments"
            let segments = Self.toneSegments(8)
            let clock = ContinuousClock()
            let began = clock.now
            for (sequence, segment) in segments.enumerated() {
                // Real time, as a browser sends: segment n is ready 0.5 s × (n + 1) after the start.
                try await clock.sleep(until: began + .milliseconds(500 * sequence))
                let answer = try await api.call(.post, "\(path)?sequence=\(sequence)", as: "op-cam-xuyen", body: segment, headers: Self.wavHeaders)
                #expect(answer.status == 200, "segment \(sequence): \(answer.text)")
                #expect(answer.object["state"] as? String == "on-air", "\(answer.text)")
            }
            // 4 s of tone are about 16 payloads of 240 ms.
            #expect(await peer.wait(seconds: 20) { $0.audio.count >= 14 }, "\(peer.audio.count) payloads")
            #expect(peer.starts.count == 1 && peer.starts.first?.streamId == UInt32(id))
            // Then the browser goes quiet: the stream ends after the timeout, with the last audio sent.
            var reason = ""
            let ended = try await eventually(seconds: 10) {
                let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
                reason = stream.object["endReason"] as? String ?? ""
                return stream.object["state"] as? String == "ended"
            }
            #expect(ended && reason.hasPrefix("source ended: the browser sent nothing for 2"), "\(reason)")
            #expect(await peer.wait(seconds: 10) { !$0.ends.isEmpty }, "no liveEnd")
            let samples = try IcecastRelayTests.decode(peer.audio).joined()
            #expect(Double(samples.count) / 24_000 > 3.5, "the gateway got \(Double(samples.count) / 24_000) s")
            let tone = Array(samples.dropFirst(2_400).prefix(72_000))
            #expect(abs(IcecastRelayTests.hz(tone) - 440) < 5, "the gateway got \(IcecastRelayTests.hz(tone)) Hz")
            let late = try await api.call(.post, "\(path)?sequence=8", as: "op-cam-xuyen", body: segments[0], headers: Self.wavHeaders)
            #expect(late.status == 410, "\(late.text)")
        }
    }

    @Test func badSegmentsAreRefusedInWords() async throws {
        let h = try await APIHarness.start(live: Self.settings())
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/live", as: "op-cam-xuyen", json: #"{"areaId":"xa-tan-lap","title":"Micro"}"#)
            let id = try #require(created.object["id"] as? Int)
            let path = "/api/v1/live/\(id)/segments"
            let segments = Self.toneSegments(3)
            func post(_ query: String, as user: String = "op-cam-xuyen", _ body: [UInt8], type: String = "audio/wav") async throws -> APIClient.Answer {
                try await api.call(.post, "\(path)\(query)", as: user, body: body, headers: [.contentType: type])
            }
            let cases: [(String, String, [UInt8], String, Int, String)] = [
                ("", "op-cam-xuyen", segments[0], "audio/wav", 422, "'sequence' is required"),
                ("?sequence=-1", "op-cam-xuyen", segments[0], "audio/wav", 422, "whole number"),
                ("?sequence=1", "op-cam-xuyen", segments[1], "audio/wav", 409, "starts with segment 0"),
                ("?sequence=0", "op-cam-xuyen", segments[0], "audio/mpeg", 415, "is not WAV"),
                ("?sequence=0", "op-cam-xuyen", TestAudio.randomBytes(4_000), "audio/wav", 415, "must be a WAV file"),
                ("?sequence=0", "op-cam-xuyen", Self.wav(Array(repeating: 0, count: 4_800), rate: 96_000), "audio/wav", 415, "16-bit PCM WAV"),
                ("?sequence=0", "op-cam-xuyen", Self.wav(Array(repeating: 0, count: 24_000), rate: 8_000), "audio/wav", 413, "at most 2"),
                ("?sequence=0", "op-cam-xuyen", Array(repeating: 0, count: 500_000), "audio/wav", 413, "a segment is at most"),
                ("?sequence=0", "bt-tan-lap", segments[0], "audio/wav", 403, ""),
                ("?sequence=0", "op-nghe-an", segments[0], "audio/wav", 403, ""),
                ("?sequence=0", "op-cam-xuyen", segments[0], "audio/wav", 200, ""),
                ("?sequence=0", "op-cam-xuyen", segments[0], "audio/wav", 409, "already received"),
                ("?sequence=2", "op-cam-xuyen", segments[2], "audio/wav", 409, "out of order: the next one expected is 1"),
                ("?sequence=1", "op-cam-xuyen", Self.wav(Array(repeating: 0, count: 4_410), rate: 44_100), "audio/wav", 422, "the source began at 48000 Hz mono"),
                ("?sequence=1", "admin", segments[1], "audio/wav", 403, "belongs to another session (op-cam-xuyen)"),
                ("?sequence=1", "op-cam-xuyen", segments[1], "audio/wav", 200, ""),
            ]
            for (query, user, body, type, status, words) in cases {
                let answer = try await post(query, as: user, body, type: type)
                #expect(answer.status == status && (words.isEmpty || (answer.errorMessage ?? "").contains(words)),
                        "\(query) as \(user) (\(type), \(body.count) bytes) → \(answer.status) \(answer.text)")
            }
            // An encoder cannot take the stream over, nor a second browser stream the same id.
            let encoder = try await api.call(.put, "/api/v1/live/\(id)/source", as: "op-cam-xuyen", body: [0xFF, 0xFB, 0x90, 0x00],
                                             headers: [.contentType: "audio/mpeg"])
            #expect(encoder.status == 409, "\(encoder.text)")
            // Stopped by an operator: the next segment hears that the stream has ended.
            #expect(try await api.call(.delete, "/api/v1/live/\(id)", as: "op-cam-xuyen").status == 204)
            let after = try await post("?sequence=2", segments[2])
            #expect(after.status == 410, "\(after.text)")
            let stream = try await api.call(.get, "/api/v1/live/\(id)", as: "op-cam-xuyen")
            #expect(stream.object["endReason"] as? String == "stopped by operator", "\(stream.text)")
            let unknown = try await post("?sequence=0", segments[0]).status
            #expect(unknown == 410)
            let missing = try await api.call(.post, "/api/v1/live/999/segments?sequence=0", as: "op-cam-xuyen", body: segments[0], headers: Self.wavHeaders)
            #expect(missing.status == 404, "\(missing.text)")
        }
    }
}
