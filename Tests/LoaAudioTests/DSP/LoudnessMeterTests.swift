import Foundation
import Testing
@testable import LoaAudio

@Suite("Loudness meter against ffmpeg ebur128")
struct LoudnessMeterTests {
    let meter = LoudnessMeter()

    private func compare(_ buffer: PCMBuffer, _ label: String, scratch: TemporaryDirectory) throws {
        let ours = meter.measure(buffer)
        let reference = try ReferenceAudio.ffmpegLoudness(buffer, scratch: scratch)
        let loudness = try #require(ours.integratedLoudness, "\(label): ours undefined")
        let theirs = try #require(reference.integrated, "\(label): ffmpeg undefined")
        #expect(abs(loudness - theirs) <= 0.3, "\(label): ours \(ours), ffmpeg \(reference)")
        #expect(abs(ours.truePeakDBTP - reference.truePeakDBFS) <= 0.5, "\(label): ours \(ours), ffmpeg \(reference)")
        #expect(abs(ours.samplePeakDBFS - reference.samplePeakDBFS) <= 0.5, "\(label): ours \(ours), ffmpeg \(reference)")
    }

    @Test("1 kHz sine at several rates", arguments: [48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 8_000])
    func sine(rate: Int) throws {
        let scratch = try TemporaryDirectory("loa-loudness"); defer { scratch.cleanup() }
        let sine = Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 5, format: AudioFormat(sampleRate: rate, channels: 1))
        try compare(sine, "sine \(rate)", scratch: scratch)
        // A full-scale 1 kHz sine reads −3.01 LUFS on a mono meter (the BS.1770 calibration point, 997 Hz).
        let calibration = meter.measure(Signal.sine(frequency: 997, amplitude: 1, seconds: 3, format: AudioFormat(sampleRate: rate, channels: 1)))
        #expect(abs(calibration.integratedLoudness! - -3.01) < 0.05)
    }

    @Test("Vietnamese speech from espeak-ng")
    func speech() throws {
        let scratch = try TemporaryDirectory("loa-loudness"); defer { scratch.cleanup() }
        let wav = scratch.path("speech.wav")
        try Tool.check("espeak-ng", ["-v", "vi", "-w", wav, "Xin chào bà con, đây là bản tin của xã. Hôm nay trời nắng, bà con chú ý phòng chống nắng nóng."])
        let speech = try ReferenceAudio.load(wav, scratch: scratch)
        try compare(speech, "speech 22050", scratch: scratch)
        var quieter = speech
        for i in quieter.samples.indices { quieter.samples[i] *= 0.3 }
        try compare(quieter, "speech × 0.3", scratch: scratch)
        try compare(try speech.resampled(to: 48_000), "speech at 48000", scratch: scratch)
    }

    @Test("stereo material with different channels and pauses")
    func stereo() throws {
        let scratch = try TemporaryDirectory("loa-loudness"); defer { scratch.cleanup() }
        let wav = scratch.path("stereo.wav")
        // Pink noise left, a 300 Hz tone right, then a quiet stretch (exercises the relative gate).
        try Tool.check("sox", ["-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "6", "pinknoise", "sine", "300",
                               "gain", "-8", "pad", "0", "2", "tremolo", "0.5", "90"])
        let stereo = try ReferenceAudio.load(wav, scratch: scratch)
        #expect(stereo.format.channels == 2)
        try compare(stereo, "stereo 44100", scratch: scratch)
    }

    @Test("silence and very short audio have no integrated loudness")
    func silence() {
        let silent = PCMBuffer(format: AudioFormat(sampleRate: 24_000, channels: 1), samples: [Float](repeating: 0, count: 48_000))
        let measured = meter.measure(silent)
        #expect(measured.integratedLoudness == nil)
        #expect(measured.isSilent)
        #expect(measured.truePeakDBTP == -.infinity)
        let faint = Signal.sine(frequency: 1000, amplitude: 0.0001, seconds: 2, format: AudioFormat(sampleRate: 24_000, channels: 1))
        #expect(meter.measure(faint).integratedLoudness == nil)   // −83 LUFS: below the absolute gate
        let short = Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 0.3, format: AudioFormat(sampleRate: 24_000, channels: 1))
        #expect(meter.measure(short).integratedLoudness == nil)
        #expect(meter.measure(short).samplePeak > 0.49)
    }

    @Test("true peak sees the inter-sample peak a sample meter misses")
    func intersamplePeak() {
        // fs/4 sine phased so every sample lands at ±0.707 of the real peak.
        let rate = 48_000
        let samples = (0..<48_000).map { Float(sin(Double.pi / 2 * Double($0) + Double.pi / 4)) * 0.9 }
        let measured = meter.measure(PCMBuffer(format: AudioFormat(sampleRate: rate, channels: 1), samples: samples))
        #expect(abs(measured.samplePeakDBFS - 20 * log10(0.9 * 0.7071)) < 0.01)
        #expect(abs(measured.truePeakDBTP - 20 * log10(0.9)) < 0.2)
    }
}
