import Foundation
import LoaAudio
import Testing
@testable import LoaController

/// The streaming pipeline against the whole-buffer one it replaced (decode all, convert all,
/// `LoudnessNormalizer.normalize`, `MP3Encoder.encodeAll`), on generated audio.
@Suite struct IngestStreamingTests {
    /// Speech-like: a voice-band tone whose pitch and level move at syllable rate, pauses, a little noise.
    static func speechLike(seconds: Double, sampleRate: Int, channels: Int, level: Float = 0.3) -> [UInt8] {
        let frames = Int(seconds * Double(sampleRate))
        var samples = [Float](repeating: 0, count: frames * channels)
        var noise: UInt64 = 7
        var phase = 0.0
        for i in 0..<frames {
            let t = Double(i) / Double(sampleRate)
            let pitch = 140 + 60 * sin(2 * .pi * 0.7 * t)
            phase += 2 * .pi * pitch / Double(sampleRate)
            let syllable = max(0, sin(2 * .pi * 4 * t)) * (sin(2 * .pi * 0.25 * t) > -0.6 ? 1 : 0)
            noise = noise &* 6364136223846793005 &+ 1442695040888963407
            let hiss = Float(Int64(bitPattern: noise) >> 40) / Float(1 << 23) * 0.02
            let voice = Float(syllable * (sin(phase) + 0.5 * sin(3 * phase) + 0.25 * sin(5 * phase)) / 1.75) * level
            for c in 0..<channels { samples[i * channels + c] = voice * (c == 0 ? 1 : 0.8) + hiss }
        }
        return WAVFile(audio: PCMBuffer(format: AudioFormat(sampleRate: sampleRate, channels: channels), samples: samples)).encoded()
    }

    /// What `IngestPipeline.process` did before it streamed.
    static func wholeBuffer(_ upload: [UInt8], settings: IngestSettings) throws -> (mp3: [UInt8], normalized: LoudnessNormalization, frames: Int) {
        let decoded = try AudioFile.decode(upload).audio
        let converted = try AudioConversion.convert(decoded, to: settings.encoder.format)
        let normalized = try LoudnessNormalizer(targetLoudness: settings.loudnessTargetLUFS,
                                                truePeakCeiling: settings.truePeakCeilingDBTP).normalize(converted)
        return (try MP3Encoder.encodeAll(normalized.output, settings: settings.encoder), normalized, converted.frameCount)
    }

    static let cases: [(String, [UInt8])] = [
        ("44.1 kHz stereo speech", speechLike(seconds: 7.3, sampleRate: 44_100, channels: 2)),
        ("22.05 kHz mono, loud enough to hit the ceiling", speechLike(seconds: 4, sampleRate: 22_050, channels: 1, level: 0.05)),
        ("48 kHz mono quiet", speechLike(seconds: 3, sampleRate: 48_000, channels: 1, level: 0.01)),
        ("24 kHz mono (no resampling)", speechLike(seconds: 2.5, sampleRate: 24_000, channels: 1)),
    ]

    @Test(arguments: cases)
    func streamingEqualsTheWholeBufferResult(name: String, upload: [UInt8]) throws {
        let settings = IngestSettings()
        var pipeline = IngestPipeline(settings: settings)
        pipeline.chunkFrames = 3_001   // odd, so chunk edges fall everywhere in the filters' windows
        let (audio, mp3) = try pipeline.process(upload)
        let reference = try Self.wholeBuffer(upload, settings: settings)
        let referenceMs = Int((Double(reference.frames) * 1000 / Double(settings.encoder.sampleRate)).rounded())
        #expect(audio.durationMs == referenceMs, "\(name)")
        #expect(abs(audio.loudnessLUFS - reference.normalized.outputLoudness) < 0.1, "\(name)")
        #expect(abs(audio.gainDB - reference.normalized.gainDB) < 1e-9, "\(name)")
        #expect(audio.limitedByTruePeak == reference.normalized.limitedByTruePeak, "\(name)")
        // Every stage carries its state across chunks exactly, so the MP3 is the same to the byte.
        #expect(mp3 == reference.mp3, "\(name): \(mp3.count) vs \(reference.mp3.count) bytes")
        // And decoded again it has the length and loudness the bulletin row records.
        let decoded = try AudioFile.decode(mp3).audio
        #expect(abs(decoded.frameCount - reference.frames) == 0, "\(name)")
    }

    @Test func theLoudSourceIsHeldByTheTruePeakCeiling() throws {
        let (audio, _) = try IngestPipeline(settings: IngestSettings()).process(Self.speechLike(seconds: 3, sampleRate: 22_050, channels: 1, level: 0.9))
        #expect(audio.limitedByTruePeak || abs(audio.loudnessLUFS - -16) < 0.1)
    }

    @Test func anMP3UploadStreamsToTheSameResult() throws {
        let settings = IngestSettings()
        let (_, source) = try IngestPipeline(settings: settings).process(Self.speechLike(seconds: 5, sampleRate: 44_100, channels: 2))
        var pipeline = IngestPipeline(settings: settings)
        pipeline.chunkFrames = 2_000
        let (audio, mp3) = try pipeline.process(source)
        let reference = try Self.wholeBuffer(source, settings: settings)
        #expect(audio.sourceFormat == "mp3")
        #expect(mp3 == reference.mp3)
        #expect(abs(audio.loudnessLUFS - reference.normalized.outputLoudness) < 0.1)
        // The streaming scan agrees with the whole-file scan.
        #expect(try MP3StreamScanner.scan(ByteArraySource(source)) == MP3Scanner.scan(source).info)
    }

    @Test func fromAFileIntoAFileGivesTheSameBytes() throws {
        let dir = try ScratchDirectory("loa-stream")
        defer { dir.cleanup() }
        let upload = Self.speechLike(seconds: 4, sampleRate: 44_100, channels: 2)
        try Data(upload).write(to: dir.url.appendingPathComponent("in.wav"))
        let pipeline = IngestPipeline(settings: IngestSettings())
        var output = try MP3TempFile(directory: dir.url)
        let audio = try pipeline.process(try AudioFileReader(path: dir.path("in.wav")), into: &output)
        let inMemory = try pipeline.process(upload)
        #expect(audio == inMemory.audio)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output.path)))
        #expect(written == inMemory.mp3)
        #expect(ContentStore.sha256Hex(of: Data(written)) == audio.sha256)
        output.remove()
    }
}
