#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Inter-sample ("true") peak by oversampling, after ITU-R BS.1770-4 Annex 2.
///
/// The annex oversamples 4× with a short interpolating low-pass and takes the largest absolute
/// value; this uses a 4× Kaiser-windowed sinc (32 taps per phase, pass band to 95% of Nyquist)
/// of the same kind. The result is never below the sample peak.
struct TruePeakMeter: Sendable {
    let factor: Int
    let bank: ResamplerFilterBank

    init(factor: Int = 4) {
        self.factor = max(1, factor)
        bank = ResamplerFilterBank(cutoff: 0.5 * 0.95, halfWidth: 16, beta: 8.6, phaseCount: max(1, factor))
    }

    /// Largest absolute value (linear) of the oversampled signal over all channels.
    func peak(of buffer: PCMBuffer) -> Double {
        let channels = buffer.format.channels, frames = buffer.frameCount
        guard frames > 0 else { return 0 }
        let half = bank.halfTaps, taps = bank.tapsPerPhase
        var peak: Float = 0
        var padded = [Float](repeating: 0, count: frames + taps)
        for c in 0..<channels {
            buffer.samples.withUnsafeBufferPointer { source in
                for i in 0..<frames { padded[half - 1 + i] = source[i * channels + c] }
            }
            padded.withUnsafeBufferPointer { x in
                bank.coefficients.withUnsafeBufferPointer { table in
                    // Output at input i + p/factor uses x[i - half + 1 … i + half], stored from index i.
                    for i in 0..<frames {
                        peak = max(peak, abs(x[i + half - 1]))
                        for p in 1..<max(2, factor) where p < factor {
                            let acc = DSPKernels.dot(x.baseAddress! + i, table.baseAddress! + p * taps, count: taps)
                            peak = max(peak, abs(acc))
                        }
                    }
                }
            }
        }
        return Double(peak)
    }
}
