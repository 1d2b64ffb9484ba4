#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Integrated loudness after ITU-R BS.1770-4 / EBU R128, with sample and true peak.
///
/// K-weighting at the buffer's own rate, mean square per channel over 400 ms blocks that start
/// every 100 ms (75% overlap), channel weights summed, then the absolute gate (−70 LUFS) and
/// the relative gate (−10 LU below the loudness of the blocks that passed the first).
/// Samples after the last whole 100 ms step are not part of any block (as in libebur128).
public struct LoudnessMeter: Sendable {
    /// True-peak oversampling factor (BS.1770 Annex 2 uses 4).
    public var truePeakOversampling: Int

    public init(truePeakOversampling: Int = 4) {
        self.truePeakOversampling = truePeakOversampling
    }

    static let absoluteGate = -70.0
    static let relativeGate = -10.0

    /// BS.1770 channel weights: 1.0 for L, R, C and mono; for 5.1 (L R C LFE Ls Rs) the LFE is
    /// left out and the surrounds weigh 1.41; other layouts weigh every channel 1.0.
    static func channelWeights(_ channels: Int) -> [Double] {
        channels == 6 ? [1, 1, 1, 0, 1.41, 1.41] : [Double](repeating: 1, count: channels)
    }

    /// Measures a whole buffer.
    public func measure(_ buffer: PCMBuffer) -> LoudnessMeasurement {
        let blocks = blockPowers(buffer)
        let samplePeak = LoudnessMeter.samplePeak(buffer)
        return LoudnessMeasurement(
            integratedLoudness: LoudnessMeter.integrate(blocks.powers),
            samplePeak: samplePeak,
            truePeak: max(samplePeak, TruePeakMeter(factor: truePeakOversampling).peak(of: buffer)),
            blockCount: blocks.powers.count, gatedBlockCount: blocks.powers.isEmpty ? 0 : LoudnessMeter.gated(blocks.powers).count,
            duration: buffer.duration)
    }

    /// Weighted mean-square power of each 400 ms block.
    func blockPowers(_ buffer: PCMBuffer) -> (powers: [Double], step: Int) {
        let channels = buffer.format.channels, frames = buffer.frameCount
        let step = Int((Double(buffer.format.sampleRate) / 10).rounded())
        let steps = step > 0 ? frames / step : 0
        guard steps >= 4 else { return ([], step) }
        // Weighted sum of squares of K-weighted samples per 100 ms step.
        var stepEnergy = [Double](repeating: 0, count: steps)
        let weights = LoudnessMeter.channelWeights(channels)
        buffer.samples.withUnsafeBufferPointer { x in
            for c in 0..<channels where weights[c] != 0 {
                var filter = KWeightingFilter(sampleRate: Double(buffer.format.sampleRate))
                for s in 0..<steps {
                    var sum = 0.0
                    for i in (s * step)..<((s + 1) * step) {
                        let y = filter.process(Double(x[i * channels + c]))
                        sum += y * y
                    }
                    stepEnergy[s] += weights[c] * sum
                }
            }
        }
        let blockLength = Double(4 * step)
        let powers = (0...(steps - 4)).map { b in
            (stepEnergy[b] + stepEnergy[b + 1] + stepEnergy[b + 2] + stepEnergy[b + 3]) / blockLength
        }
        return (powers, step)
    }

    static func loudness(_ power: Double) -> Double { -0.691 + 10 * log10(power) }

    /// Blocks that pass both gates.
    static func gated(_ powers: [Double]) -> [Double] {
        let absolute = powers.filter { loudness($0) > absoluteGate }
        guard !absolute.isEmpty else { return [] }
        let threshold = loudness(absolute.reduce(0, +) / Double(absolute.count)) + relativeGate
        return absolute.filter { loudness($0) > threshold }
    }

    static func integrate(_ powers: [Double]) -> Double? {
        let kept = gated(powers)
        guard !kept.isEmpty else { return nil }
        return loudness(kept.reduce(0, +) / Double(kept.count))
    }

    static func samplePeak(_ buffer: PCMBuffer) -> Double {
        buffer.samples.withUnsafeBufferPointer { x in
            var peak: Float = 0
            for v in x { peak = max(peak, abs(v)) }
            return Double(peak)
        }
    }
}
