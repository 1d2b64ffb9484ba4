#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// An output that keeps everything written to it, for tests of the player and tools.
///
/// It "plays" instantly: `delay()` is always 0 and nothing is ever queued, so `cancel()`
/// drops nothing. `events` records the calls in order so a test can check the contract
/// (open before write, drain at the end of an item, cancel on stop).
public final class MemoryAudioOutput: AudioOutput, @unchecked Sendable {
    /// One call made on the output.
    public enum Event: Sendable, Equatable {
        case open(AudioFormat)
        case write(frames: Int)
        case drain
        case cancel
        case close
    }

    private let lock = NIOLock()
    private var format: AudioFormat?
    private var written: [Int16] = []
    private var log: [Event] = []
    private var nextWriteError: AudioError?

    public init() {}

    public var openFormat: AudioFormat? { lock.locked { format } }
    /// Every sample written since creation, interleaved.
    public var samples: [Int16] { lock.locked { written } }
    /// The calls made, in order.
    public var events: [Event] { lock.locked { log } }

    /// What was written as a float buffer in the last format opened (nil if never opened).
    public var buffer: PCMBuffer? {
        lock.locked {
            guard let format = log.lazy.compactMap({ if case .open(let f) = $0 { f } else { nil } }).last else { return nil }
            return PCMBuffer(format: format, int16: written)
        }
    }

    /// Makes the next write fail with `error` (simulating a device that disappears).
    public func failNextWrite(with error: AudioError) { lock.locked { nextWriteError = error } }

    public func open(format: AudioFormat) throws(AudioError) {
        try validateOutputFormat(format, for: "memory output")
        lock.locked { self.format = format; log.append(.open(format)) }
    }

    public func write(int16 samples: [Int16]) throws(AudioError) {
        try lock.locked { () throws(AudioError) in
            guard let format else { throw .notOpen("memory output", "write") }
            if let error = nextWriteError { nextWriteError = nil; throw error }
            try validateWholeFrames(samples.count, format, for: "memory output")
            written += samples
            log.append(.write(frames: samples.count / format.channels))
        }
    }

    public func drain() throws(AudioError) {
        try lock.locked { () throws(AudioError) in
            guard format != nil else { throw .notOpen("memory output", "drain") }
            log.append(.drain)
        }
    }

    /// Nothing is ever queued in memory.
    public func drain(leavingFrames: Int) {}

    public func cancel() { lock.locked { log.append(.cancel) } }

    public func delay() -> Int { 0 }

    public func close() {
        lock.locked {
            if format != nil { log.append(.close) }
            format = nil
        }
    }
}
