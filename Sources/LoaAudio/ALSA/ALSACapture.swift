import CALSA
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// Records PCM from an ALSA device as S16_LE interleaved, in period-sized reads.
///
/// Reads are always at most one period: a single read larger than the device buffer can
/// return silence (seen with `type file` PCMs fed by `infile`). Overruns are recovered with
/// `snd_pcm_recover` and counted (`overruns`); a device that delivers nothing for several
/// buffers fails with a timeout instead of blocking forever. Thread-safe: ALSA calls happen
/// under one lock.
public final class ALSACapture: AudioInput, @unchecked Sendable {
    /// The device this input records from.
    public let device: ALSADevice
    /// The buffering asked of ALSA; the device may round it.
    public let requestedLatency: Duration

    private let lock = NIOLock()
    private var handle: ALSAPCMHandle?
    private var format: AudioFormat?
    private var policy = ALSATransferPolicy()

    public init(device: ALSADevice, latency: Duration = .milliseconds(200)) {
        self.device = device
        self.requestedLatency = latency
    }

    public var openFormat: AudioFormat? { lock.locked { format } }

    /// Overruns recovered since the input was created (audio was lost at each).
    public var overruns: Int { lock.locked { policy.xruns } }
    /// The period and buffer ALSA granted, in frames (nil when closed).
    public var bufferGeometry: (periodFrames: Int, bufferFrames: Int)? {
        lock.locked { handle.map { ($0.periodFrames, $0.bufferFrames) } }
    }

    public func open(format: AudioFormat) throws(AudioError) {
        try validateOutputFormat(format, for: "ALSA device '\(device.name)'")
        try lock.locked { () throws(AudioError) in
            handle = nil
            self.format = nil
            let fresh = try ALSAPCMHandle.open(device, stream: SND_PCM_STREAM_CAPTURE)
            try fresh.configure(format: format, latency: requestedLatency)
            // Capture's start threshold may exceed one period; start explicitly so the
            // first period-sized read does not wait for a start that never comes.
            let started = fresh.start()
            guard started >= 0 else { throw .alsa(device.name, started, "start capture") }
            handle = fresh
            self.format = format
        }
    }

    public func read(frames: Int) throws(AudioError) -> [Int16] {
        guard frames >= 0 else { throw .invalidSetting("ALSA device '\(device.name)': cannot read \(frames) frames") }
        let channels = try lock.locked { () throws(AudioError) in
            guard handle != nil, let format else { throw .notOpen("ALSA device '\(device.name)'", "read") }
            return format.channels
        }
        var samples = [Int16](repeating: 0, count: frames * channels)
        var done = 0
        var stall = ALSAPCMHandle.StallClock()
        try samples.withUnsafeMutableBufferPointer { (buffer) throws(AudioError) in
            while done < frames {
                try lock.locked { () throws(AudioError) in
                    guard let handle, let format else { throw .notOpen("ALSA device '\(device.name)'", "read") }
                    let chunk = min(handle.periodFrames, frames - done)
                    let result = handle.read(into: buffer.baseAddress! + done * channels, frames: chunk)
                    let action = policy.next(result: result)
                    done += try handle.perform(action, policy: &policy, stall: &stall, rate: format.sampleRate, operation: "read")
                }
            }
        }
        return samples
    }

    public func close() {
        lock.locked {
            handle = nil  // ALSAPCMHandle.deinit closes the PCM
            format = nil
        }
    }
}
