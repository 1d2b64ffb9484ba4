#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What `LoudnessMeter` found in a buffer: integrated loudness (EBU R128 / BS.1770-4) and peaks.
public struct LoudnessMeasurement: Sendable, Hashable, CustomStringConvertible {
    /// Integrated, gated loudness in LUFS; `nil` when undefined: the audio is silent (no 400 ms
    /// block above the −70 LUFS absolute gate) or shorter than one 400 ms block.
    public var integratedLoudness: Double?
    /// Largest absolute sample value over all channels (linear, 1.0 = full scale).
    public var samplePeak: Double
    /// Largest absolute value of the 4× oversampled signal (linear); ≥ `samplePeak`.
    public var truePeak: Double
    /// 400 ms blocks measured, and those that passed both gates.
    public var blockCount: Int
    public var gatedBlockCount: Int
    public var duration: Double

    /// True when integrated loudness is undefined (silence, or too short to measure).
    public var isSilent: Bool { integratedLoudness == nil }
    /// Sample peak in dBFS (−∞ for digital silence).
    public var samplePeakDBFS: Double { 20 * log10(samplePeak) }
    /// True peak in dBTP (−∞ for digital silence).
    public var truePeakDBTP: Double { 20 * log10(truePeak) }

    public var description: String {
        let loudness = integratedLoudness.map { "\(decimalText($0, digits: 1)) LUFS" } ?? "silent (loudness undefined)"
        return "\(loudness), true peak \(decimalText(truePeakDBTP, digits: 1)) dBTP, sample peak \(decimalText(samplePeakDBFS, digits: 1)) dBFS"
    }
}
