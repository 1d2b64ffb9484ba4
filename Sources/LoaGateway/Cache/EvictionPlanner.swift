#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One file in the content cache, as the eviction planner sees it.
public struct CacheEntry: Hashable, Sendable {
    public let address: ContentAddress
    public let size: UInt64
    public let lastUsed: Date

    public init(address: ContentAddress, size: UInt64, lastUsed: Date) {
        self.address = address
        self.size = size
        self.lastUsed = lastUsed
    }
}

/// What the cache must do to make room for an incoming file.
public enum EvictionPlan: Hashable, Sendable {
    /// Evict these (possibly none), least recently used first; then the incoming file fits.
    case evict([ContentAddress])
    /// Even after evicting every unneeded entry the incoming file would exceed the quota by
    /// `missingBytes`. Nothing should be evicted.
    case cannotFit(missingBytes: UInt64)
}

/// Decides which cached files to evict so that `incomingSize` more bytes fit under `quota`.
///
/// Pure. Rules: content in `needed` (what the current schedule references) is never evicted;
/// among the rest the least recently used go first (ties broken by address, so the plan is
/// deterministic); nothing is evicted when the file cannot fit anyway, since evicting would
/// lose content for no gain.
public enum EvictionPlanner {
    public static func plan(
        entries: [CacheEntry],
        needed: Set<ContentAddress>,
        quota: UInt64,
        incomingSize: UInt64
    ) -> EvictionPlan {
        let used = entries.reduce(UInt64(0)) { $0 + $1.size }
        let (total, overflow) = used.addingReportingOverflow(incomingSize)
        if !overflow, total <= quota { return .evict([]) }

        let candidates = entries
            .filter { !needed.contains($0.address) }
            .sorted { ($0.lastUsed, $0.address) < ($1.lastUsed, $1.address) }
        let neededBytes = used - candidates.reduce(UInt64(0)) { $0 + $1.size }
        let floor = neededBytes.addingReportingOverflow(incomingSize)
        if floor.overflow || floor.partialValue > quota {
            return .cannotFit(missingBytes: floor.overflow ? .max : floor.partialValue - quota)
        }

        var remaining = total
        var evicted: [ContentAddress] = []
        for entry in candidates where remaining > quota {
            evicted.append(entry.address)
            remaining -= entry.size
        }
        return .evict(evicted)
    }
}
