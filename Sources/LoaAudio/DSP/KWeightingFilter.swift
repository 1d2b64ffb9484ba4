#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The BS.1770 K-weighting pre-filter (a high shelf, then a high pass) for one channel.
///
/// BS.1770 gives coefficients only for 48 kHz; these come from the analogue prototype that
/// reproduces them (the derivation libebur128 and ffmpeg use), through the bilinear transform at
/// the actual rate, so 22.05, 24 and 44.1 kHz are weighted the same as 48 kHz.
struct KWeightingFilter: Sendable {
    private var shelf: Biquad
    private var highPass: Biquad

    init(sampleRate: Double) {
        // Stage 1: high shelf, +4 dB above ~1.7 kHz (head acoustics).
        do {
            let f0 = 1681.974450955533, gainDB = 3.999843853973347, q = 0.7071752369554196
            let k = tan(Double.pi * f0 / sampleRate)
            let vh = pow(10, gainDB / 20)
            let vb = pow(vh, 0.4996667741545416)
            let a0 = 1 + k / q + k * k
            shelf = Biquad(b0: (vh + vb * k / q + k * k) / a0, b1: 2 * (k * k - vh) / a0,
                           b2: (vh - vb * k / q + k * k) / a0,
                           a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
        }
        // Stage 2: RLB high pass at ~38 Hz.
        do {
            let f0 = 38.13547087602444, q = 0.5003270373238773
            let k = tan(Double.pi * f0 / sampleRate)
            let a0 = 1 + k / q + k * k
            highPass = Biquad(b0: 1, b1: -2, b2: 1, a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
        }
    }

    @inline(__always)
    mutating func process(_ x: Double) -> Double {
        highPass.process(shelf.process(x))
    }
}

/// A direct-form-II-transposed second-order IIR section in Double precision.
struct Biquad: Sendable {
    let b0, b1, b2, a1, a2: Double
    private var z1 = 0.0, z2 = 0.0

    init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        (self.b0, self.b1, self.b2, self.a1, self.a2) = (b0, b1, b2, a1, a2)
    }

    @inline(__always)
    mutating func process(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }
}
