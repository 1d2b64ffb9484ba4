#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Why loudness normalisation refused a buffer.
public enum LoudnessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Integrated loudness is undefined: nothing above the −70 LUFS gate, or under 400 ms long.
    case silentAudio(duration: Double)
    /// A target or ceiling that is not a finite number of dB.
    case invalidTarget(String)

    public var description: String {
        switch self {
        case .silentAudio(let duration):
            return "silent audio: no loudness above -70 LUFS in \(decimalText(duration, digits: 2)) s (or shorter than 0.4 s), nothing to normalise"
        case .invalidTarget(let message):
            return "invalid loudness target: \(message)"
        }
    }
}

/// The outcome of `LoudnessNormalizer.normalize(_:)`.
public struct LoudnessNormalization: Sendable {
    /// The input scaled by `gainDB`.
    public var output: PCMBuffer
    /// Gain applied, in dB (negative = quieter).
    public var gainDB: Double
    /// True when the gain was reduced to keep the true peak under the ceiling, so the output
    /// is quieter than the target.
    public var limitedByTruePeak: Bool
    /// The input's measurement.
    public var input: LoudnessMeasurement
    /// Integrated loudness of the output (input + gain; a static gain moves it exactly).
    public var outputLoudness: Double
    /// True peak of the output in dBTP.
    public var outputTruePeakDBTP: Double

    public var linearGain: Double { pow(10, gainDB / 20) }
}

/// Brings a buffer to a target integrated loudness with one static gain.
///
/// This is a static gain, not a limiter: when reaching the target would push the true peak
/// over the ceiling, the gain is lowered until the true peak sits at the ceiling and the
/// output ends up quieter than the target (`limitedByTruePeak`). Peaks are never reshaped.
public struct LoudnessNormalizer: Sendable {
    /// Target integrated loudness in LUFS (−16 suits speech on small horns; EBU R128 is −23).
    public var targetLoudness: Double
    /// Highest allowed true peak in dBTP after the gain.
    public var truePeakCeiling: Double
    public var meter: LoudnessMeter

    public init(targetLoudness: Double = -16, truePeakCeiling: Double = -1, meter: LoudnessMeter = LoudnessMeter()) {
        self.targetLoudness = targetLoudness
        self.truePeakCeiling = truePeakCeiling
        self.meter = meter
    }

    /// The gain in dB for a measured buffer, and whether the ceiling limited it.
    public func gain(for measurement: LoudnessMeasurement) throws -> (gainDB: Double, limitedByTruePeak: Bool) {
        guard targetLoudness.isFinite, truePeakCeiling.isFinite else {
            throw LoudnessError.invalidTarget("target \(targetLoudness) LUFS, ceiling \(truePeakCeiling) dBTP")
        }
        guard let loudness = measurement.integratedLoudness else {
            throw LoudnessError.silentAudio(duration: measurement.duration)
        }
        let wanted = targetLoudness - loudness
        let headroom = truePeakCeiling - measurement.truePeakDBTP
        return wanted > headroom ? (headroom, true) : (wanted, false)
    }

    /// Measures `buffer` and returns it scaled to the target (see the type's note on peaks).
    public func normalize(_ buffer: PCMBuffer) throws -> LoudnessNormalization {
        let measurement = meter.measure(buffer)
        let (gainDB, limited) = try gain(for: measurement)
        let factor = Float(pow(10, gainDB / 20))
        var output = buffer
        output.samples.withUnsafeMutableBufferPointer { x in
            for i in x.indices { x[i] *= factor }
        }
        return LoudnessNormalization(output: output, gainDB: gainDB, limitedByTruePeak: limited, input: measurement,
                                     outputLoudness: measurement.integratedLoudness! + gainDB,
                                     outputTruePeakDBTP: measurement.truePeakDBTP + gainDB)
    }
}
