import Foundation
import Testing
@testable import LoaAudio

@Suite("Loudness normaliser")
struct LoudnessNormalizerTests {
    @Test("a quiet sine is brought to −16 LUFS")
    func reachesTarget() throws {
        let quiet = Signal.sine(frequency: 1000, amplitude: 0.05, seconds: 3, format: AudioFormat(sampleRate: 24_000, channels: 1))
        let result = try LoudnessNormalizer().normalize(quiet)
        #expect(!result.limitedByTruePeak)
        #expect(abs(result.outputLoudness - -16) < 0.01)
        let remeasured = LoudnessMeter().measure(result.output)
        #expect(abs(remeasured.integratedLoudness! - -16) < 0.05)
        #expect(remeasured.truePeakDBTP <= -1)
    }

    @Test("the true-peak ceiling limits the gain (static gain, not a limiter)")
    func ceilingLimits() throws {
        // A square-ish wave: high peak-to-loudness ratio is not needed; a loud target is.
        let sine = Signal.sine(frequency: 1000, amplitude: 0.1, seconds: 3, format: AudioFormat(sampleRate: 24_000, channels: 1))
        let normalizer = LoudnessNormalizer(targetLoudness: -2, truePeakCeiling: -1)
        let result = try normalizer.normalize(sine)
        #expect(result.limitedByTruePeak)
        let remeasured = LoudnessMeter().measure(result.output)
        #expect(abs(remeasured.truePeakDBTP - -1) < 0.05)
        #expect(remeasured.integratedLoudness! < -2)
        #expect(abs(result.gainDB - (-1 - result.input.truePeakDBTP)) < 1e-9)
    }

    @Test("silent audio is refused with a clear error")
    func silentRefused() {
        let silent = PCMBuffer(format: AudioFormat(sampleRate: 24_000, channels: 1), samples: [Float](repeating: 0, count: 24_000))
        #expect(throws: LoudnessError.silentAudio(duration: 1)) { try LoudnessNormalizer().normalize(silent) }
        #expect(LoudnessError.silentAudio(duration: 1).description.hasPrefix("silent audio"))
        let empty = PCMBuffer(format: AudioFormat(sampleRate: 24_000, channels: 1))
        #expect(throws: LoudnessError.self) { try LoudnessNormalizer().normalize(empty) }
    }

    @Test("espeak-ng speech normalised, then checked by ffmpeg")
    func speechThroughFFmpeg() throws {
        let scratch = try TemporaryDirectory("loa-normalise"); defer { scratch.cleanup() }
        let wav = scratch.path("speech.wav")
        try Tool.check("espeak-ng", ["-v", "vi", "-w", wav, "Xin chào bà con, đây là bản tin của xã"])
        let speech = try ReferenceAudio.load(wav, scratch: scratch)
        let result = try LoudnessNormalizer(targetLoudness: -16, truePeakCeiling: -1).normalize(speech.resampled(to: 24_000))
        let reference = try ReferenceAudio.ffmpegLoudness(result.output, scratch: scratch)
        let expected = result.limitedByTruePeak ? result.outputLoudness : -16
        #expect(abs(reference.integrated! - expected) <= 0.3, "ffmpeg \(reference), ours \(result.outputLoudness)")
        #expect(reference.truePeakDBFS <= -1 + 0.5, "ffmpeg \(reference)")
    }
}
