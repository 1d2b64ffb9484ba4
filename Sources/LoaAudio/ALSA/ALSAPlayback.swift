import CALSA
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// Plays PCM through an ALSA device as S16_LE interleaved, in period-sized writes.
///
/// Underruns and suspends are recovered with `snd_pcm_recover` and counted
/// (`underruns`, `suspends`); a device that makes no progress for several buffers fails
/// with a timeout (at least 5 s) instead of blocking forever. Thread-safe: every ALSA call
/// happens under one lock, taken per period or per 50 ms wait, so `cancel()` or `delay()`
/// from another thread interleave with a long `write`, and a cancel makes that write return
/// early. `drain()` holds the lock until the device has played out (at most a buffer, plus
/// whatever start-up latency the plugin has: ~2 s for a PulseAudio null sink).
public final class ALSAPlayback: AudioOutput, @unchecked Sendable {
    /// The device this output plays to.
    public let device: ALSADevice
    /// The buffering asked of ALSA; the device may round it.
    public let requestedLatency: Duration

    private let lock = NIOLock()
    private var handle: ALSAPCMHandle?
    private var format: AudioFormat?
    private var policy = ALSATransferPolicy()
    /// Bumped by `cancel()` and `close()`, so a write in progress knows to stop.
    private var generation = 0

    /// - Parameters:
    ///   - device: the PCM, e.g. `.named("default")` or `.filePCM(path:)`.
    ///   - latency: how much audio ALSA buffers; lower reacts faster, higher survives hiccups.
    public init(device: ALSADevice, latency: Duration = .milliseconds(200)) {
        self.device = device
        self.requestedLatency = latency
    }

    public var openFormat: AudioFormat? { lock.locked { format } }

    /// ALSA's state of the open PCM (`snd_pcm_state_name`), or "closed".
    public var deviceState: String {
        lock.locked { handle.map { String(cString: snd_pcm_state_name($0.state)) } ?? "closed" }
    }

    /// Underruns recovered since the output was created.
    public var underruns: Int { lock.locked { policy.xruns } }
    /// Suspends recovered since the output was created.
    public var suspends: Int { lock.locked { policy.suspends } }
    /// The period and buffer ALSA granted, in frames (nil when closed).
    public var bufferGeometry: (periodFrames: Int, bufferFrames: Int)? {
        lock.locked { handle.map { ($0.periodFrames, $0.bufferFrames) } }
    }

    public func open(format: AudioFormat) throws(AudioError) {
        try validateOutputFormat(format, for: "ALSA device '\(device.name)'")
        try lock.locked { () throws(AudioError) in
            handle = nil  // closes any previous handle first: a device may allow one opener
            self.format = nil
            let fresh = try ALSAPCMHandle.open(device, stream: SND_PCM_STREAM_PLAYBACK)
            try fresh.configure(format: format, latency: requestedLatency)
            handle = fresh
            self.format = format
            generation += 1
        }
    }

    public func write(int16 samples: [Int16]) throws(AudioError) {
        let (channels, startGeneration) = try lock.locked { () throws(AudioError) in
            guard handle != nil, let format else { throw .notOpen("ALSA device '\(device.name)'", "write") }
            return (format.channels, generation)
        }
        try validateWholeFrames(samples.count, AudioFormat(sampleRate: 1, channels: channels), for: "ALSA device '\(device.name)'")
        let totalFrames = samples.count / channels
        var done = 0
        var stall = ALSAPCMHandle.StallClock()
        try samples.withUnsafeBufferPointer { (buffer) throws(AudioError) in
            while done < totalFrames {
                // The lock is taken per period or per short wait, never for a whole write,
                // so cancel() and delay() from another thread get in between.
                let more = try lock.locked { () throws(AudioError) -> Bool in
                    guard generation == startGeneration else { return false }  // cancelled or closed
                    guard let handle, let format else { throw .notOpen("ALSA device '\(device.name)'", "write") }
                    let chunk = min(handle.periodFrames, totalFrames - done)
                    let result = handle.write(buffer.baseAddress! + done * channels, frames: chunk)
                    let action = policy.next(result: result)
                    done += try handle.perform(action, policy: &policy, stall: &stall, rate: format.sampleRate, operation: "write")
                    return true
                }
                if !more { return }
            }
        }
    }

    public func drain() throws(AudioError) {
        try lock.locked { () throws(AudioError) in
            guard let handle else { throw .notOpen("ALSA device '\(device.name)'", "drain") }
            let code = handle.drainBlocking()
            // A drain that hit an underrun has still played everything; anything else is an error.
            if code < 0 && code != -ALSATransferPolicy.ePIPE { throw .alsa(device.name, code, "drain") }
            let prepared = handle.prepare()  // ready for the next write
            guard prepared >= 0 else { throw .alsa(device.name, prepared, "prepare after drain") }
        }
    }

    /// Polls the device's delay on the real clock (the card's), sleeping at most 20 ms at a
    /// time; a device whose queue stops moving for a second is left to its caller.
    public func drain(leavingFrames: Int) {
        var last = Int.max, still = 0.0
        while true {
            let (queued, rate) = lock.locked { (handle?.delay() ?? 0, format?.sampleRate ?? 0) }
            guard rate > 0, queued > leavingFrames else { return }
            let wait = min(Double(queued - leavingFrames) / Double(rate), 0.02)
            still = queued < last ? 0 : still + wait
            if still > 1 { return }
            last = queued
            blockingSleep(.seconds(wait))
        }
    }

    public func cancel() {
        lock.locked {
            generation += 1
            guard let handle else { return }
            _ = handle.drop()
            _ = handle.prepare()
        }
    }

    public func delay() -> Int {
        lock.locked { handle?.delay() ?? 0 }
    }

    public func measuredDelay() -> Double {
        lock.locked {
            guard let handle, let format else { return 0 }
            return handle.measuredDelay(rate: format.sampleRate) ?? Double(handle.delay() ?? 0)
        }
    }

    /// A real device paces itself; a PCM whose chain ends in `null` (a `type file` PCM, as
    /// the loopback tests and `loactl` use) takes sound at once, so the gateway leaves its
    /// rate alone. Known once open; a closed output says true (a card, until shown otherwise).
    public var isPaced: Bool {
        lock.locked { !(handle?.isNullBacked ?? false) }
    }

    public func close() {
        lock.locked {
            generation += 1
            handle = nil  // ALSAPCMHandle.deinit closes the PCM
            format = nil
        }
    }
}
