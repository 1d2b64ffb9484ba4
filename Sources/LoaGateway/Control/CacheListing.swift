#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// `cache`: what the verified content cache holds, its quota, and what the schedule still needs.
public struct CacheListing: Codable, Hashable, Sendable {
    public struct Entry: Codable, Hashable, Sendable {
        public var sha256: String
        public var bytes: UInt64
        /// Last played or verified, ms since 1970 (least recently used goes first).
        public var lastUsed: Int64
        /// Named by the stored schedule: eviction never removes it.
        public var needed: Bool
        public var title: String?
    }

    public var usedBytes: UInt64
    public var quotaBytes: UInt64
    public var entries: [Entry]
    /// Content the schedule names that is not cached yet (the link fetches it when connected).
    public var missing: [String]

    /// Pure: the cache's entries, its quota and the stored schedule are given. Entries are
    /// listed most recently used first.
    public static func make(entries: [CacheEntry], quotaBytes: UInt64, schedule: GatewaySchedule?) -> CacheListing {
        var titles: [String: String] = [:]
        for content in schedule?.contents ?? [] { titles[content.sha256.lowercased()] = content.title }
        let needed = Set((schedule?.contents ?? []).map { $0.sha256.lowercased() })
        let listed = entries.sorted { ($0.lastUsed, $1.address) > ($1.lastUsed, $0.address) }.map { entry in
            Entry(sha256: entry.address.hex, bytes: entry.size, lastUsed: Int64((entry.lastUsed.timeIntervalSince1970 * 1000).rounded()),
                  needed: needed.contains(entry.address.hex), title: titles[entry.address.hex])
        }
        let cached = Set(entries.map(\.address.hex))
        return CacheListing(usedBytes: entries.reduce(0) { $0 + $1.size }, quotaBytes: quotaBytes, entries: listed,
                            missing: needed.subtracting(cached).sorted())
    }
}
