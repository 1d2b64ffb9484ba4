#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// A volume applied by scaling samples, for cards without a usable mixer element.
///
/// The curve is **linear in amplitude**: 50 % multiplies every sample by 0.5 (−6 dB),
/// 0 % is silence, 100 % leaves samples untouched. Linear is predictable for technicians
/// comparing readings and is what the tests check; a perceptual curve can be layered on
/// top by mapping the percent before calling `setVolume`.
public final class SoftwareVolume: VolumeControl, @unchecked Sendable {
    private let lock = NIOLock()
    private var percent: Int

    public init(percent: Int = 100) {
        self.percent = Self.clamp(percent)
    }

    public var kind: VolumeControlKind { .software }

    public func volume() -> Int {
        lock.lock(); defer { lock.unlock() }
        return percent
    }

    public func setVolume(_ percent: Int) {
        lock.lock(); defer { lock.unlock() }
        self.percent = Self.clamp(percent)
    }

    /// The amplitude factor for the current volume (percent / 100).
    public var gain: Float { Self.gain(percent: volume()) }

    /// The amplitude factor for `percent`: linear, 50 % → 0.5.
    public static func gain(percent: Int) -> Float { Float(clamp(percent)) / 100 }

    /// `samples` scaled by the current gain, rounded and clipped; unchanged at 100 %.
    public func apply(to samples: [Int16]) -> [Int16] {
        let gain = self.gain
        if gain == 1 { return samples }
        if gain == 0 { return [Int16](repeating: 0, count: samples.count) }
        return samples.map { PCMBuffer.int16(from: Float($0) / 32768 * gain) }
    }

    private static func clamp(_ percent: Int) -> Int { min(100, max(0, percent)) }
}
