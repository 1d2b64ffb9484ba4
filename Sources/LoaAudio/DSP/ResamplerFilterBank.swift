#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The precomputed polyphase table of a Kaiser-windowed sinc low-pass, shared by every channel
/// of a `Resampler`.
///
/// Row `p` holds the taps that produce an output sample lying `p / phaseCount` of an input
/// sample after input index `i`; they apply to inputs `i - halfTaps + 1 … i + halfTaps`.
/// Exact rational ratios use one row per phase; other ratios interpolate linearly between
/// `phaseCount + 1` rows.
struct ResamplerFilterBank: Sendable {
    /// Taps per phase (even).
    let tapsPerPhase: Int
    /// Number of distinct phases (rows) the position is quantised to.
    let phaseCount: Int
    /// Row-major: `(phaseCount + 1) * tapsPerPhase` coefficients (the extra row is phase 1.0).
    let coefficients: [Float]

    var halfTaps: Int { tapsPerPhase / 2 }

    /// - Parameters:
    ///   - cutoff: −6 dB point of the low-pass as a fraction of the *input* sample rate (≤ 0.5).
    ///   - halfWidth: half the filter's span, in input samples.
    ///   - beta: Kaiser window shape (8.6 ≈ 90 dB stop band).
    init(cutoff: Double, halfWidth: Int, beta: Double, phaseCount: Int) {
        let taps = 2 * halfWidth
        tapsPerPhase = taps
        self.phaseCount = phaseCount
        var table = [Float](repeating: 0, count: (phaseCount + 1) * taps)
        let besselBeta = ResamplerFilterBank.besselI0(beta)
        var row = [Double](repeating: 0, count: taps)
        for phase in 0...phaseCount {
            let fraction = Double(phase) / Double(phaseCount)
            var sum = 0.0
            for j in 0..<taps {
                // Distance in input samples from the output instant to input i - halfWidth + 1 + j.
                let d = Double(j - halfWidth + 1) - fraction
                let x = d / Double(halfWidth)
                let window = abs(x) >= 1 ? 0 : ResamplerFilterBank.besselI0(beta * (1 - x * x).squareRoot()) / besselBeta
                let value = 2 * cutoff * ResamplerFilterBank.sinc(2 * cutoff * d) * window
                row[j] = value
                sum += value
            }
            // Unity DC gain on every phase, so a constant stays exactly constant.
            for j in 0..<taps { table[phase * taps + j] = Float(row[j] / sum) }
        }
        coefficients = table
    }

    static func sinc(_ x: Double) -> Double {
        x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
    }

    /// Modified Bessel function of the first kind, order 0 (series; converges fast for β ≤ 20).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0
        let half = x / 2
        for k in 1..<64 {
            term *= (half / Double(k)) * (half / Double(k))
            sum += term
            if term < sum * 1e-17 { break }
        }
        return sum
    }
}
