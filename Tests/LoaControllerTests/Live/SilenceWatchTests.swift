import Foundation
import LoaAudio
import Testing
@testable import LoaController

/// The relay's silence watch, fed buffers by hand: counted in audio time, said once, and over
/// at the first sound.
@Suite struct SilenceWatchTests {
    static let format = AudioFormat(sampleRate: 24_000, channels: 1)

    /// `seconds` of a 440 Hz sine at `amplitude` (0: digital silence).
    static func buffer(seconds: Double, amplitude: Float) -> PCMBuffer {
        let count = Int(seconds * 24_000)
        let samples: [Float] = (0..<count).map { index in
            let phase: Double = 2 * Double.pi * 440 * Double(index) / 24_000
            return amplitude * Float(sin(phase))
        }
        return PCMBuffer(format: format, samples: samples)
    }

    @Test func levelsAreRMSInDBFS() {
        #expect(SilenceWatch.levelDBFS([]) == -.infinity)
        #expect(SilenceWatch.levelDBFS([0, 0, 0]) == -.infinity)
        #expect(abs(SilenceWatch.levelDBFS([1, -1, 1, -1]) - 0) < 1e-9)
        // A full-scale sine is 3 dB below full scale.
        #expect(abs(SilenceWatch.levelDBFS(Self.buffer(seconds: 1, amplitude: 1).samples) + 3.01) < 0.05)
    }

    @Test func silenceIsReportedOnceAfterItsTimeAndOverAtTheFirstSound() {
        var watch = SilenceWatch(thresholdDBFS: -50, after: 2)
        #expect(watch.observe(Self.buffer(seconds: 1, amplitude: 0.3)) == .none)
        #expect(watch.observe(Self.buffer(seconds: 1, amplitude: 0)) == .none)
        #expect(watch.observe(Self.buffer(seconds: 0.5, amplitude: 0)) == .none)
        #expect(watch.observe(Self.buffer(seconds: 0.5, amplitude: 0)) == .silent(seconds: 2))
        #expect(watch.observe(Self.buffer(seconds: 1, amplitude: 0)) == .none, "said once")
        #expect(watch.observe(Self.buffer(seconds: 0.5, amplitude: 0.3)) == .soundBack(afterSeconds: 3))
        #expect(watch.observe(Self.buffer(seconds: 1.5, amplitude: 0)) == .none, "counting starts again")
    }

    @Test func quietSoundAboveTheThresholdIsNotSilenceAndShortGapsDoNotAddUp() {
        var watch = SilenceWatch(thresholdDBFS: -50, after: 1)
        // -46 dBFS (amplitude 0.007): quiet, but above -50.
        #expect(watch.observe(Self.buffer(seconds: 3, amplitude: 0.007)) == .none)
        for _ in 0..<5 {
            #expect(watch.observe(Self.buffer(seconds: 0.9, amplitude: 0)) == .none)
            #expect(watch.observe(Self.buffer(seconds: 0.1, amplitude: 0.3)) == .none)
        }
    }

    @Test func zeroSecondsTurnsTheWatchOff() {
        var watch = SilenceWatch(thresholdDBFS: -50, after: 0)
        #expect(watch.observe(Self.buffer(seconds: 60, amplitude: 0)) == .none)
    }
}
