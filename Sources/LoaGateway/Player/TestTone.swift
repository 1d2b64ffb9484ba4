#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LoaAudio

/// The technician's test tone as samples: a sine at −12 dBFS with 10 ms raised-cosine ramps at
/// both ends (no click into the amplifier). Pure: any slice of the tone can be computed alone,
/// so the renderer writes it in small pieces and can start at an offset.
public struct TestTone: Hashable, Sendable {
    public var frequencyHz: Int
    public var durationMs: Int64
    public static let amplitude: Float = 0.25
    static let rampSeconds = 0.010

    public init(frequencyHz: Int, durationMs: Int64) {
        self.frequencyHz = frequencyHz
        self.durationMs = durationMs
    }

    public func frameCount(at format: AudioFormat) -> Int { Int(durationMs * Int64(format.sampleRate) / 1000) }

    /// Frames `start ..< start + count` of the tone (clamped to its length), every channel alike.
    public func slice(_ format: AudioFormat, from start: Int, count: Int) -> PCMBuffer {
        let total = frameCount(at: format)
        let end = min(total, start + max(0, count))
        let rate = Double(format.sampleRate)
        let ramp = max(1, Int(Self.rampSeconds * rate))
        var samples: [Float] = []
        samples.reserveCapacity(max(0, end - start) * format.channels)
        for frame in max(0, start)..<max(start, end) {
            let edge = min(frame, total - 1 - frame)
            let gain = edge >= ramp ? 1 : Float(0.5 - 0.5 * cos(Double.pi * Double(edge) / Double(ramp)))
            let value = Self.amplitude * gain * Float(sin(2 * Double.pi * Double(frequencyHz) * Double(frame) / rate))
            for _ in 0..<format.channels { samples.append(value) }
        }
        return PCMBuffer(format: format, samples: samples)
    }
}
