import Foundation
import Testing
@testable import LoaAudio

/// Encodes with our LAME wrapper, decodes with independent decoders (mpg123, ffmpeg) and ours.
@Suite struct MP3RoundTripTests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory("loa-mp3") }
    // Every test removes `dir` with `defer { dir.cleanup() }`.

    /// Decodes `path` with the mpg123 CLI to float samples (mpg123 is gapless by default).
    func decodeWithMpg123(_ path: String) throws -> [Float] {
        let raw = dir.path("mpg123.f32")
        try Tool.check("mpg123", ["-q", "-e", "f32", "-w", raw, path])
        let wav = try WAVFile.read(path: raw)
        return wav.audio.samples
    }

    /// Decodes `path` with ffmpeg to float samples.
    func decodeWithFFmpeg(_ path: String) throws -> [Float] {
        let out = dir.path("ffmpeg.wav")
        try Tool.check("ffmpeg", ["-y", "-loglevel", "error", "-i", path, "-c:a", "pcm_f32le", out])
        return try WAVFile.read(path: out).audio.samples
    }

    /// What ffprobe reads from the stream header: codec, rate, channels, bitrate.
    /// (ffprobe's duration counts whole frames, so the exact length is checked by decoding with ffmpeg.)
    func ffprobeStream(_ path: String) throws -> String {
        try Tool.check("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries",
                                   "stream=codec_name,sample_rate,channels,bit_rate", "-of", "compact=p=0:nk=1", path])
            .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func encode(_ audio: PCMBuffer, name: String) throws -> String {
        let path = dir.path(name)
        try Data(MP3Encoder.encodeAll(audio, settings: .speech)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func sineSurvivesAtTheExactLength() throws {
        defer { dir.cleanup() }
        let sine = Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 3.3, format: .speech)
        let path = try encode(sine, name: "sine.mp3")

        let viaMpg123 = try decodeWithMpg123(path)
        let viaFFmpeg = try decodeWithFFmpeg(path)
        #expect(viaMpg123.count == sine.frameCount)
        #expect(viaFFmpeg.count == sine.frameCount)
        #expect(try ffprobeStream(path) == "mp3|24000|1|48000")

        let frequency = Signal.dominantFrequency(viaMpg123, sampleRate: 24_000)
        #expect(abs(frequency - 1000) / 1000 < 0.01)
        #expect(Signal.snr(reference: sine.samples, test: viaMpg123) >= 20)
        #expect(Signal.snr(reference: sine.samples, test: viaFFmpeg) >= 20)

        let ours = try MP3Decoder.decodeAll(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(ours.format == .speech)
        #expect(ours.frameCount == viaMpg123.count)
        #expect(Signal.snr(reference: viaMpg123, test: ours.samples) >= 60)
    }

    @Test func vietnameseSpeechSurvivesAtTheExactLength() throws {
        defer { dir.cleanup() }
        let spoken = dir.path("speech22k.wav"), speech24k = dir.path("speech24k.wav")
        try Tool.check("espeak-ng", ["-v", "vi", "-w", spoken,
                                     "Kính thưa bà con, đây là đài truyền thanh xã. Bản tin sáng nay có ba nội dung."])
        try Tool.check("sox", [spoken, "-r", "24000", "-b", "16", speech24k])
        let speech = try WAVFile.read(path: speech24k).audio
        #expect(speech.format == .speech)
        let path = try encode(speech, name: "speech.mp3")

        let viaMpg123 = try decodeWithMpg123(path)
        #expect(viaMpg123.count == speech.frameCount)
        #expect(try decodeWithFFmpeg(path).count == speech.frameCount)
        #expect(try ffprobeStream(path) == "mp3|24000|1|48000")

        let ours = try MP3Decoder.decodeAll(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(ours.frameCount == speech.frameCount)
        #expect(Signal.snr(reference: viaMpg123, test: ours.samples) >= 60)
    }

    @Test func streamingDecodeInSmallChunksEqualsWholeDecode() throws {
        defer { dir.cleanup() }
        let sine = Signal.sine(frequency: 700, seconds: 1.0, format: .speech)
        let bytes = try MP3Encoder.encodeAll(sine, settings: .speech)
        let whole = try MP3Decoder.decodeAll(bytes)
        let decoder = try MP3Decoder()
        var pieces = [Float]()
        var offset = 0, size = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            pieces += try decoder.decode(Array(bytes[offset..<end]))?.samples ?? []
            offset = end
            size = size * 3 % 997 + 1 // an irregular walk of chunk sizes
        }
        pieces += try decoder.finish()?.samples ?? []
        #expect(pieces == whole.samples)
    }

    @Test(arguments: [MP3EncoderSettings(sampleRate: 44_100, channels: 2, bitrate: .constant(kbps: 128)),
                      MP3EncoderSettings(sampleRate: 24_000, channels: 1, bitrate: .variable(quality: 5)),
                      MP3EncoderSettings(sampleRate: 16_000, channels: 1, bitrate: .constant(kbps: 32))])
    func otherSettingsKeepTheExactLength(settings: MP3EncoderSettings) throws {
        defer { dir.cleanup() }
        let audio = Signal.sine(frequency: 440, seconds: 2.01, format: settings.format)
        let bytes = try MP3Encoder.encodeAll(audio, settings: settings)
        let decoded = try MP3Decoder.decodeAll(bytes)
        #expect(decoded.format == settings.format)
        #expect(decoded.frameCount == audio.frameCount)
        let path = dir.path("other.mp3")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try decodeWithMpg123(path).count == audio.frameCount * settings.channels)
    }
}

/// Bad settings and bad input: each a clear error, never a crash.
@Suite struct MP3CodecErrorTests {
    @Test func invalidSettingsNameTheSetting() {
        #expect { try MP3Encoder(settings: MP3EncoderSettings(sampleRate: 23_000)) } throws: { "\($0)".contains("23000 Hz") }
        #expect { try MP3Encoder(settings: MP3EncoderSettings(bitrate: .constant(kbps: 47))) } throws: { "\($0)".contains("47 kbit/s") }
        #expect { try MP3Encoder(settings: MP3EncoderSettings(channels: 3)) } throws: { "\($0)".contains("3 channels") }
    }

    @Test func encoderRefusesAudioOfAnotherFormat() throws {
        let encoder = try MP3Encoder(settings: .speech)
        #expect(throws: AudioError.self) {
            try encoder.encode(Signal.sine(frequency: 1, seconds: 0.1, format: AudioFormat(sampleRate: 48_000, channels: 1)))
        }
    }

    @Test func decoderFindsNoAudioInText() {
        #expect(throws: AudioError.self) { try MP3Decoder.decodeAll(Array("not an mp3 at all\n".utf8)) }
        #expect(throws: AudioError.self) { try MP3Decoder.decodeAll([]) }
    }
}

@Suite struct InfoTagFrameTests {
    @Test func crcIsCRC16ARC() {
        #expect(CRC16.arc(Array("123456789".utf8)) == 0xBB3D)
    }

    @Test func speechSettingsGetAnInfoFrameAt64Kbps() throws {
        let encoder = try MP3Encoder(settings: .speech)
        var stream = try encoder.encode(Signal.sine(frequency: 300, seconds: 1, format: .speech))
        stream += try encoder.finish().bytes
        #expect(!encoder.lameWroteTag) // the tag does not fit a 144-byte frame
        let info = try #require(encoder.infoFrame(for: stream))
        #expect(info.count == 192)                       // MPEG-2, 64 kbit/s, 24 kHz
        #expect(info[2] >> 4 == 8)                        // bitrate index of 64 kbit/s
        #expect(Array(info[13..<17]) == Array("Info".utf8)) // after 4 header + 9 side-info bytes
        #expect(Array(info[133..<142]) == Array("LAME3.100".utf8))
        // The frame parser reads back what we wrote, CRC included.
        let parsed = try MP3Scanner.scan(info + stream)
        let lame = try #require(parsed.xing?.lame)
        #expect(lame.crcMatches)
        #expect(parsed.info.sampleCount == 24_000)
    }
}
