#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// A test and benchmark knob, never for a real loudspeaker: makes any output behave as if its
/// crystal ran `skewPpm` fast (positive) or slow, by resampling what is written by
/// 1/(1 + skew) (linear interpolation: a few hundred ppm of a speech signal) and reporting
/// `delay()` in the caller's frames. Two gateways through one PulseAudio server then drift
/// apart as two real cards would, and the rate correction has something to correct
/// (`[audio] simulated_skew_ppm`, docs/CONFIG-gateway.md).
public final class SimulatedSkewOutput: AudioOutput, @unchecked Sendable {
    public let base: any AudioOutput
    public let skewPpm: Double
    private let lock = NIOLock()
    /// The caller's frames one base frame spans.
    private let step: Double
    /// Where the next base frame falls, in the caller's frames from the start of the next write
    /// (in [-1, 0) it is between the last frame of the previous write and the first of the next).
    private var position = 0.0
    /// The previous write's last frame.
    private var carry: [Int16] = []

    public init(wrapping base: any AudioOutput, skewPpm: Double) {
        self.base = base
        self.skewPpm = skewPpm
        step = 1 + skewPpm / 1e6
    }

    public var openFormat: AudioFormat? { base.openFormat }
    public var deviceState: String { base.deviceState }
    public var isPaced: Bool { base.isPaced }

    public func open(format: AudioFormat) throws(AudioError) {
        try base.open(format: format)
        reset()
    }

    public func write(int16 samples: [Int16]) throws(AudioError) {
        guard let format = base.openFormat else { return try base.write(int16: samples) }
        try validateWholeFrames(samples.count, format, for: "simulated skew output")
        let resampled = lock.locked { resample(samples, channels: format.channels) }
        try base.write(int16: resampled)
    }

    public func drain() throws(AudioError) { try base.drain() }
    public func drain(leavingFrames: Int) { base.drain(leavingFrames: leavingFrames) }

    public func cancel() {
        base.cancel()
        reset()
    }

    public func delay() -> Int { Int(measuredDelay() + 0.5) }

    public func measuredDelay() -> Double {
        let pending = lock.locked { max(0, -position) }
        return base.measuredDelay() * step + pending
    }

    public func close() {
        base.close()
        reset()
    }

    private func reset() {
        lock.locked {
            position = 0
            carry = []
        }
    }

    private func resample(_ samples: [Int16], channels: Int) -> [Int16] {
        let frames = samples.count / channels
        guard frames > 0 else { return [] }
        func sample(_ frame: Int, _ channel: Int) -> Double {
            if frame < 0 { return carry.isEmpty ? Double(samples[channel]) : Double(carry[channel]) }
            return Double(samples[min(frame, frames - 1) * channels + channel])
        }
        var out: [Int16] = []
        out.reserveCapacity(Int(Double(samples.count) / step) + channels)
        // A base frame needs the caller's frame after it: stop where this write runs out.
        while position <= Double(frames - 1) {
            let below = Int(position.rounded(.down))
            let fraction = position - Double(below)
            for channel in 0..<channels {
                let value = sample(below, channel) * (1 - fraction) + sample(below + 1, channel) * fraction
                out.append(Int16(clamping: Int(value.rounded())))
            }
            position += step
        }
        position -= Double(frames)
        carry = Array(samples[((frames - 1) * channels)...])
        return out
    }
}
