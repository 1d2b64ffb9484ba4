#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// The last few hundred log lines, kept in memory for `loactl gateway logs` (a technician on
/// site may have no journal access). Thread-safe; a fixed capacity, oldest lines dropped.
public final class LogRing: @unchecked Sendable {
    public let capacity: Int
    private let lock = NIOLock()
    private var lines: [String] = []
    private var next = 0

    public init(capacity: Int = 1_000) {
        self.capacity = max(1, capacity)
        lines.reserveCapacity(self.capacity)
    }

    public func append(_ line: String) {
        lock.withLock {
            if lines.count < capacity {
                lines.append(line)
            } else {
                lines[next] = line
                next = (next + 1) % capacity
            }
        }
    }

    /// The newest `count` lines, oldest first.
    public func last(_ count: Int) -> [String] {
        lock.withLock {
            let ordered = lines.count < capacity ? lines : Array(lines[next...] + lines[..<next])
            return Array(ordered.suffix(max(0, count)))
        }
    }
}
