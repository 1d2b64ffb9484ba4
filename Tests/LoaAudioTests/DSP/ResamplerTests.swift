import Foundation
import Testing
@testable import LoaAudio

@Suite("Resampler")
struct ResamplerTests {
    /// An ideal sine sampled at `rate`, as the reference a perfect resampler would produce.
    private func idealSine(_ frequency: Double, amplitude: Float, frames: Int, rate: Int) -> [Float] {
        let step = 2 * Double.pi * frequency / Double(rate)
        return (0..<frames).map { amplitude * Float(sin(step * Double($0))) }
    }

    @Test("a 1 kHz sine keeps its frequency and has SNR ≥ 60 dB", arguments: [44_100, 48_000, 22_050, 8_000, 16_000])
    func sineFidelity(inputRate: Int) throws {
        let input = Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 1, format: AudioFormat(sampleRate: inputRate, channels: 1))
        let output = try input.resampled(to: 24_000)
        #expect(output.format == AudioFormat(sampleRate: 24_000, channels: 1))
        let frequency = Signal.dominantFrequency(output.samples, sampleRate: 24_000)
        #expect(abs(frequency - 1000) / 1000 < 0.005)
        let reference = idealSine(1000, amplitude: 0.5, frames: output.frameCount, rate: 24_000)
        let edge = 1_200   // 50 ms at each end where the filter sees the stream's start and end
        let snr = Signal.snr(reference: Array(reference[edge..<(reference.count - edge)]),
                             test: Array(output.samples[edge..<(output.samples.count - edge)]))
        #expect(snr >= 60, "SNR \(snr) dB for \(inputRate) → 24000")
    }

    @Test("a 15 kHz tone at 44.1 kHz is rejected by ≥ 60 dB at 24 kHz")
    func aliasRejection() throws {
        let input = Signal.sine(frequency: 15_000, amplitude: 0.5, seconds: 1, format: AudioFormat(sampleRate: 44_100, channels: 1))
        let output = try input.resampled(to: 24_000)
        let middle = Array(output.samples[1_200..<(output.samples.count - 1_200)])
        let attenuation = 20 * log10(Signal.rms(middle) / Signal.rms(input.samples))
        #expect(attenuation <= -60, "alias at \(attenuation) dB")
    }

    @Test("output length is round(input × ratio) ± 1", arguments: [(44_100, 24_000), (48_000, 24_000), (22_050, 24_000), (8_000, 24_000), (44_100, 48_000), (24_000, 44_100)])
    func outputLength(rates: (Int, Int)) throws {
        for frames in [0, 1, 2, 99, 1_000, 44_101, 123_457] {
            let input = PCMBuffer(format: AudioFormat(sampleRate: rates.0, channels: 1), samples: [Float](repeating: 0.1, count: frames))
            let output = try input.resampled(to: rates.1)
            let expected = (Double(frames) * Double(rates.1) / Double(rates.0)).rounded()
            #expect(abs(Double(output.frameCount) - expected) <= 1, "\(frames) frames \(rates.0) → \(rates.1) gave \(output.frameCount)")
        }
    }

    @Test("a constant stays constant (unity DC gain)")
    func dcGain() throws {
        let input = PCMBuffer(format: AudioFormat(sampleRate: 44_100, channels: 1), samples: [Float](repeating: 0.25, count: 10_000))
        let output = try input.resampled(to: 24_000)
        for sample in output.samples[200..<(output.frameCount - 200)] { #expect(abs(sample - 0.25) < 1e-5) }
    }

    @Test("streaming in random chunk sizes equals the whole-buffer result", arguments: [(44_100, 24_000), (22_050, 24_000), (8_000, 24_000)])
    func streamingMatchesWhole(rates: (Int, Int)) throws {
        let format = AudioFormat(sampleRate: rates.0, channels: 2)
        var input = Signal.sine(frequency: 440, amplitude: 0.4, seconds: 0.7, format: format)
        for i in stride(from: 1, to: input.samples.count, by: 2) { input.samples[i] *= -0.5 }   // make channels differ
        let whole = try input.resampled(to: rates.1)
        var generator = SystemRandomNumberGenerator()
        for maxChunk in [1, 7, 500, 5_000] {
            var resampler = try Resampler(from: rates.0, to: rates.1, channels: 2)
            var streamed = PCMBuffer(format: AudioFormat(sampleRate: rates.1, channels: 2))
            var start = 0
            while start < input.frameCount {
                let size = maxChunk == 1 ? 1 : Int.random(in: 1...maxChunk, using: &generator)
                streamed.append(resampler.process(input.frames(from: start, count: size)))
                start += size
            }
            streamed.append(resampler.flush())
            #expect(streamed == whole, "chunks up to \(maxChunk)")
        }
    }

    @Test("channels are converted independently")
    func stereoChannels() throws {
        let left = Signal.sine(frequency: 500, amplitude: 0.5, seconds: 0.5, format: AudioFormat(sampleRate: 48_000, channels: 1))
        let right = Signal.sine(frequency: 2_000, amplitude: 0.3, seconds: 0.5, format: AudioFormat(sampleRate: 48_000, channels: 1))
        var interleaved = [Float]()
        for i in 0..<left.frameCount { interleaved += [left.samples[i], right.samples[i]] }
        let output = try PCMBuffer(format: AudioFormat(sampleRate: 48_000, channels: 2), samples: interleaved).resampled(to: 24_000)
        #expect(output == PCMBuffer(format: output.format, samples: zip(try left.resampled(to: 24_000).samples,
                                                                         try right.resampled(to: 24_000).samples).flatMap { [$0, $1] }))
    }

    @Test("a real (non-integer) ratio works and keeps the tone")
    func realRatio() throws {
        let input = Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 1, format: AudioFormat(sampleRate: 48_000, channels: 1))
        var resampler = try Resampler(inputRate: 48_000, outputRate: 23_999.5, channels: 1)
        var output = resampler.process(input)
        output.append(resampler.flush())
        #expect(abs(output.frameCount - 24_000) <= 1)
        let reference = idealSine(1000 * 24_000 / 23_999.5, amplitude: 0.5, frames: output.frameCount, rate: 24_000)
        let snr = Signal.snr(reference: Array(reference[1_200..<22_000]), test: Array(output.samples[1_200..<22_000]))
        #expect(snr >= 60, "SNR \(snr)")
    }

    @Test("bad rates are refused")
    func badRates() {
        #expect(throws: AudioError.self) { try Resampler(from: 0, to: 24_000, channels: 1) }
        #expect(throws: AudioError.self) { try Resampler(from: 44_100, to: 24_000, channels: 0) }
    }

    @Test("down-mix averages channels")
    func downmix() {
        let stereo = PCMBuffer(format: AudioFormat(sampleRate: 24_000, channels: 2), samples: [1, 0, 0.5, 0.5, -1, 1])
        let mono = stereo.downmixedToMono()
        #expect(mono.format == AudioFormat(sampleRate: 24_000, channels: 1))
        #expect(mono.samples == [0.5, 0.5, 0])
        #expect(mono.downmixedToMono() == mono)
    }
}
