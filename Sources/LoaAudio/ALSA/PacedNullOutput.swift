#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// An output that discards audio but takes real time to do it, like a sound card would.
///
/// It models a device buffer of `bufferTime`: a write returns at once while the buffer has
/// room and otherwise blocks until enough has "played"; `delay()` reports what is still
/// queued; `drain()` waits for it; `cancel()` drops it. A write that arrives after the queue
/// ran dry mid-stream counts as an underrun. Time comes from an injected `Clock`, so tests
/// run instantly with a hand-advanced clock and the player can run headless in real time.
/// `skewPpm` makes it a card with a skewed crystal: it consumes `rate·(1 + skew)` frames per
/// second of its clock (positive: fast), so rate correction can be tested without a card.
public final class PacedNullOutput: AudioOutput, @unchecked Sendable {
    /// Where the output gets the time and how it waits. Durations are since any fixed origin.
    public struct Clock: Sendable {
        public var now: @Sendable () -> Duration
        public var sleep: @Sendable (Duration) -> Void

        public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) -> Void) {
            self.now = now
            self.sleep = sleep
        }

        /// Real time: a monotonic clock and a thread sleep.
        public static func continuous() -> Clock {
            let clock = ContinuousClock(), origin = clock.now
            return Clock(now: { origin.duration(to: clock.now) }, sleep: blockingSleep)
        }
    }

    /// How much audio the simulated device holds before writes block.
    public let bufferTime: Duration
    /// How much faster than nominal it consumes, in ppm (positive: a fast crystal).
    public let skewPpm: Double
    private let clock: Clock
    private let lock = NIOLock()
    private var format: AudioFormat?
    /// Clock time at which everything written so far will have played.
    private var queueEnd: Duration = .zero
    private var streaming = false
    private var generation = 0
    private var underrunCount = 0
    private var gap: Duration = .zero
    private var wroteSinceOpen = false
    private var framesWritten = 0

    public init(bufferTime: Duration = .milliseconds(200), clock: Clock = .continuous(), skewPpm: Double = 0) {
        self.bufferTime = bufferTime
        self.clock = clock
        self.skewPpm = skewPpm
    }

    public var isPaced: Bool { true }

    /// Frames a second it really consumes.
    private func speed(_ format: AudioFormat) -> Double { Double(format.sampleRate) * (1 + skewPpm / 1e6) }

    public var openFormat: AudioFormat? { lock.locked { format } }
    /// Writes that found the queue empty mid-stream (the speaker went silent).
    public var underruns: Int { lock.locked { underrunCount } }
    /// The longest silence between two writes of one open stream: the queue ran dry (an
    /// underrun, or a drain and a later write) until sound came again.
    public var longestGap: Duration { lock.locked { gap } }
    /// Frames accepted since creation.
    public var totalFramesWritten: Int { lock.locked { framesWritten } }

    public func open(format: AudioFormat) throws(AudioError) {
        try validateOutputFormat(format, for: "paced null output")
        lock.locked {
            self.format = format
            queueEnd = clock.now()
            streaming = false
            wroteSinceOpen = false
            generation += 1
        }
    }

    public func write(int16 samples: [Int16]) throws(AudioError) {
        let (wait, startGeneration) = try lock.locked { () throws(AudioError) -> (Duration, Int) in
            guard let format else { throw .notOpen("paced null output", "write") }
            try validateWholeFrames(samples.count, format, for: "paced null output")
            let frames = samples.count / format.channels
            let now = clock.now()
            if queueEnd < now {
                if streaming { underrunCount += 1 }
                if wroteSinceOpen { gap = max(gap, now - queueEnd) }
                queueEnd = now
            }
            wroteSinceOpen = true
            queueEnd += skewPpm == 0 ? Self.duration(frames: frames, rate: format.sampleRate)
                : .nanoseconds(Int64((Double(frames) / speed(format) * 1e9).rounded()))
            framesWritten += frames
            streaming = true
            return (queueEnd - now - bufferTime, generation)
        }
        // Sleep outside the lock so cancel() and delay() stay responsive, in steps so that a
        // cancel() wakes the writer within one step, as snd_pcm_drop wakes a blocked write.
        var remaining = wait
        while remaining > .zero && lock.locked({ generation == startGeneration }) {
            let step = min(remaining, Self.cancelCheckInterval)
            clock.sleep(step)
            remaining -= step
        }
    }

    public func drain() throws(AudioError) {
        let wait = try lock.locked { () throws(AudioError) -> Duration in
            guard format != nil else { throw .notOpen("paced null output", "drain") }
            return queueEnd - clock.now()
        }
        if wait > .zero { clock.sleep(wait) }
        lock.locked { streaming = false }
    }

    /// Sleeps on its clock until at most `leavingFrames` are queued; still streaming.
    public func drain(leavingFrames: Int) {
        let wait = lock.locked { () -> Duration in
            guard let format, format.sampleRate > 0 else { return .zero }
            let leaving = Duration.nanoseconds(Int64(Double(leavingFrames) * 1e9 / (Double(format.sampleRate) * (1 + skewPpm / 1e6))))
            return queueEnd - leaving - clock.now()
        }
        if wait > .zero { clock.sleep(wait) }
    }

    public func cancel() {
        lock.locked {
            queueEnd = min(queueEnd, clock.now())
            streaming = false
            generation += 1
        }
    }

    public func delay() -> Int { Int(measuredDelay() + 0.5) }

    public func measuredDelay() -> Double {
        lock.locked {
            guard let format else { return 0 }
            let queued = queueEnd - clock.now()
            guard queued > .zero else { return 0 }
            return (queued / .seconds(1)) * speed(format)
        }
    }

    public func close() {
        cancel()
        lock.locked { format = nil }
    }

    /// How often a blocked write looks for a cancel.
    static let cancelCheckInterval: Duration = .milliseconds(5)

    static func duration(frames: Int, rate: Int) -> Duration {
        .nanoseconds(Int64(frames) * 1_000_000_000 / Int64(rate))
    }
}
