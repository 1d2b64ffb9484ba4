import Foundation
import LoaAudio
import Testing
@testable import LoaController

@Suite struct IngestPipelineTests {
    static let settings = IngestSettings(maxUploadBytes: 2_000_000, maxDurationSeconds: 10)

    /// The kind of refusal, without the message, for table comparisons.
    static func kind(_ error: IngestError) -> String {
        switch error {
        case .empty: "empty"
        case .tooLarge: "tooLarge"
        case .notAudio: "notAudio"
        case .corrupt: "corrupt"
        case .tooLong: "tooLong"
        case .silent: "silent"
        case .encodingFailed: "encodingFailed"
        case .storage: "storage"
        case .busy: "busy"
        }
    }

    static let good = TestAudio.wav(seconds: 2)

    @Test(arguments: [
        ("empty", [UInt8](), "empty"),
        ("text", Array("Kính thưa bà con, đây là bản tin sáng.\n".utf8), "notAudio"),
        ("random bytes", TestAudio.randomBytes(50_000), "notAudio"),
        ("truncated WAV", Array(good.prefix(good.count / 2)), "corrupt"),
        ("WAV header only", Array(good.prefix(30)), "corrupt"),
        ("silent WAV", TestAudio.wav(seconds: 3, amplitude: 0), "silent"),
        ("too long", TestAudio.wav(seconds: 11, sampleRate: 8_000, channels: 1), "tooLong"),
        ("too large", TestAudio.wav(seconds: 12), "tooLarge"),
        ("MP3 sync word then noise", [0xFF, 0xFB, 0x90, 0x00] + TestAudio.randomBytes(4_000), "notAudio|corrupt"),
    ])
    func badUploadsAreRefusedWithATypedError(name: String, bytes: [UInt8], expected: String) {
        do {
            _ = try IngestPipeline(settings: Self.settings).process(bytes)
            Issue.record("\(name): accepted")
        } catch {
            #expect(expected.split(separator: "|").contains(Substring(Self.kind(error))), "\(name): \(error)")
            #expect(!error.description.isEmpty)
        }
    }

    /// A broadcaster reads why an upload is refused in words, never bytes in hex (a Vietnamese
    /// text file used to get "it starts with 4b c3 ad …").
    static let misfiled: [(bytes: [UInt8], words: String)] = [
        (Array("Kính thưa bà con, đây là bản tin sáng về lịch tiêm phòng.\n".utf8), "looks like text"),
        (Array("Thông báo".utf8) + [0xE1, 0xBB], "looks like text"),  // a character cut by the prefix
        (Array("%PDF-1.7\n".utf8) + TestAudio.randomBytes(100), "PDF document"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + TestAudio.randomBytes(100), "picture"),
        ([0x00, 0x00, 0x00, 0x20] + Array("ftypM4A ".utf8) + TestAudio.randomBytes(100), "MP4 or M4A"),
        ([0x50, 0x4B, 0x03, 0x04] + TestAudio.randomBytes(100), "Office document"),
        ([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0xFE, 0xFD], "not those of any audio format"),
    ]

    /// A broadcaster reads why an upload is refused in words, never bytes in hex (a Vietnamese
    /// text file used to get "it starts with 4b c3 ad …").
    @Test(arguments: 0..<7)
    func refusalsSayWhatTheUploadIsInWords(index: Int) {
        let (bytes, words) = Self.misfiled[index]
        do {
            _ = try IngestPipeline(settings: Self.settings).process(bytes)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(words), "\(error.description)")
            #expect(error.description.range(of: #"\b[0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}\b"#, options: .regularExpression) == nil, "hex shown: \(error.description)")
        }
    }

    @Test func aGoodWAVBecomesSpeechFormatMP3AtTheTargetLoudness() throws {
        let (audio, mp3) = try IngestPipeline(settings: Self.settings).process(TestAudio.wav(seconds: 3, amplitude: 0.05))
        #expect(abs(audio.durationMs - 3_000) <= 1)
        #expect(abs(audio.loudnessLUFS - -16) < 0.1)
        #expect(!audio.limitedByTruePeak)
        #expect(audio.sourceFormat == "wav")
        #expect(audio.sha256 == ContentStore.sha256Hex(of: Data(mp3)))
        let stream = try MP3Scanner.scan(mp3)
        #expect(stream.info.sampleRate == 24_000)
        #expect(stream.info.channels == 1)
        #expect(abs(stream.info.duration - 3) < 0.01)
        // Measured again from the MP3, the loudness is still on target (the encoder barely moves it).
        let decoded = try AudioFile.decode(mp3).audio
        let measured = try #require(LoudnessMeter().measure(decoded).integratedLoudness)
        #expect(abs(measured - -16) < 0.5)
    }

    @Test func anMP3UploadIsAcceptedToo() throws {
        let first = try IngestPipeline(settings: Self.settings).process(TestAudio.wav(seconds: 2))
        let again = try IngestPipeline(settings: Self.settings).process(first.mp3).audio
        #expect(again.sourceFormat == "mp3")
        #expect(abs(again.durationMs - 2_000) <= 2)
        var short = Self.settings
        short.maxDurationSeconds = 1
        do {
            _ = try IngestPipeline(settings: short).process(first.mp3)
            Issue.record("a 2 s MP3 passed a 1 s limit")
        } catch {
            #expect(Self.kind(error) == "tooLong")
        }
    }
}
