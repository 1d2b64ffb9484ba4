import Foundation
import Testing
@testable import LoaAudio

/// Ingest-sized work (a 10-minute bulletin). Opt-in, meant for release builds:
/// `LOA_PERF=1 swift test -c release --filter DSPPerformance`.
@Suite("DSP performance", .enabled(if: ProcessInfo.processInfo.environment["LOA_PERF"] != nil))
struct DSPPerformanceTests {
    private func timed<T>(_ label: String, _ work: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let result = try work()
        print("\(label): \(ContinuousClock.now - start)")
        return result
    }

    @Test("10 minutes of 44.1 kHz stereo down-mixed, resampled to 24 kHz, measured and normalised")
    func tenMinuteBulletin() throws {
        let input = Signal.sine(frequency: 440, amplitude: 0.3, seconds: 600, format: AudioFormat(sampleRate: 44_100, channels: 2))
        let mono = timed("down-mix") { input.downmixedToMono() }
        let speech = try timed("resample 44.1 → 24 kHz mono") { try mono.resampled(to: 24_000) }
        _ = try timed("resample 44.1 → 24 kHz stereo") { try input.resampled(to: 24_000) }
        let result = try timed("measure + normalise") { try LoudnessNormalizer().normalize(speech) }
        #expect(abs(result.outputLoudness - -16) < 0.01)
    }
}
