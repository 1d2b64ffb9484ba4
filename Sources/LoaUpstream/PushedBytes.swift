import Foundation

/// The bytes a source pushes to the controller (an Icecast `SOURCE` or `PUT` body), on their way
/// from the connection's event loop to `UpstreamAudioReader` on its reading thread. Bounded by
/// back-pressure instead of a cap: `append` says `.pause` once more than `highWater` bytes wait,
/// the pusher stops reading its socket (so TCP slows the encoder), and `resume` is called once the
/// reader has drained it to `lowWater`.
public final class PushedBytes: @unchecked Sendable {
    public enum Advice: Sendable, Equatable { case keepReading, pause }

    public let highWater: Int
    public let lowWater: Int
    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    private var start = 0
    private var ended = false
    private var cancelled = false
    private var paused = false
    private let resume: @Sendable () -> Void

    /// `resume` runs on the reading thread, outside the lock.
    public init(highWater: Int = 256 * 1024, lowWater: Int = 64 * 1024, resume: @escaping @Sendable () -> Void = {}) {
        self.highWater = highWater
        self.lowWater = lowWater
        self.resume = resume
    }

    /// Bytes waiting to be read.
    public var waiting: Int { condition.withLock { bytes.count - start } }

    /// More bytes from the source; `.pause` when the pusher should stop reading for now.
    @discardableResult
    public func append(_ more: some Collection<UInt8>) -> Advice {
        condition.withLock {
            guard !ended, !cancelled else { return .keepReading }
            bytes.append(contentsOf: more)
            condition.signal()
            if bytes.count - start > highWater { paused = true }
            return paused ? .pause : .keepReading
        }
    }

    /// The source's connection ended: the reader gets the rest, then the end.
    public func finish() {
        condition.withLock {
            ended = true
            condition.broadcast()
        }
    }

    /// The reader stops: a waiting read returns `.cancelled`.
    public func cancel() {
        condition.withLock {
            cancelled = true
            condition.broadcast()
        }
    }

    public enum ReadResult: Sendable, Equatable {
        case bytes(Int)
        case end
        case stalled
        case cancelled
    }

    /// Copies up to `size` bytes into `buffer`, waiting up to `timeout` for some. Blocking: the
    /// reader's thread only.
    public func read(into buffer: UnsafeMutablePointer<UInt8>, size: Int, timeout: Duration) -> ReadResult {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        var wake = false
        let result: ReadResult = condition.withLock {
            while bytes.count == start && !ended && !cancelled {
                if !condition.wait(until: deadline) && bytes.count == start && !ended && !cancelled { return .stalled }
            }
            if cancelled { return .cancelled }
            let count = min(size, bytes.count - start)
            guard count > 0 else { return .end }
            bytes.withUnsafeBufferPointer { source in
                buffer.update(from: source.baseAddress!.advanced(by: start), count: count)
            }
            start += count
            if start > 64 * 1024 && start * 2 > bytes.count {
                bytes.removeFirst(start)
                start = 0
            }
            if paused && bytes.count - start <= lowWater {
                paused = false
                wake = true
            }
            return .bytes(count)
        }
        if wake { resume() }
        return result
    }
}
