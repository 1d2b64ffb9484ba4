#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the content cache behaves. Defaults suit a gateway with a few GB of SD card.
public struct CacheConfiguration: Sendable {
    /// When a partial download is fsynced. A kill -9 loses nothing either way (the page cache
    /// survives the process); this bounds what a power cut can cost, at the price of writes.
    public enum PartialSync: Hashable, Sendable {
        /// fsync after every chunk.
        case everyChunk
        /// fsync whenever at least this many bytes were written since the last fsync.
        case everyBytes(UInt64)
        /// fsync only before the final hash check and rename.
        case onlyAtEnd
    }

    /// Bytes that `cache/` may hold (complete files only; partials are not counted).
    public var quotaBytes: UInt64
    public var partialSync: PartialSync
    /// The clock for "last used" times (LRU eviction). Injected so tests control it.
    public var now: @Sendable () -> Date

    public init(
        quotaBytes: UInt64 = 2 << 30,
        partialSync: PartialSync = .everyBytes(256 << 10),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.quotaBytes = quotaBytes
        self.partialSync = partialSync
        self.now = now
    }
}
