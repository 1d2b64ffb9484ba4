#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One concrete play of a schedule entry: a repeat of an entry on one day, at an instant.
public struct Occurrence: Hashable, Sendable, Codable {
    public var entryId: String
    /// When this play should start (the entry's local time, resolved in the schedule's zone,
    /// plus its offset, plus `repeatIndex` × duration).
    public var start: Date
    public var durationMs: Int64
    /// 0 for the first play of an occurrence, 1 … repeatCount − 1 for the back-to-back repeats.
    public var repeatIndex: Int
    public var content: Content
    public var priority: Priority
    public var onBusy: OnBusy
    public var onInterrupt: OnInterrupt
    /// How late it may still start (its entry's `lateToleranceMs`), nil: its own duration.
    public var lateToleranceMs: Int64?

    public init(entryId: String, start: Date, durationMs: Int64, repeatIndex: Int, content: Content,
                priority: Priority, onBusy: OnBusy, onInterrupt: OnInterrupt, lateToleranceMs: Int64? = nil) {
        self.entryId = entryId
        self.start = start
        self.durationMs = durationMs
        self.repeatIndex = repeatIndex
        self.content = content
        self.priority = priority
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
        self.lateToleranceMs = lateToleranceMs
    }

    /// Unique, stable play id: `entryId@<start, Unix seconds>#<repeatIndex>`, e.g.
    /// `ban-tin-sang@1796081400#0`. The as-played log uses it.
    public var id: String { "\(entryId)@\(Int64(start.timeIntervalSince1970.rounded(.down)))#\(repeatIndex)" }

    public var end: Date { start.addingTimeInterval(TimeInterval(durationMs) / 1000) }

    /// This play as an item for the playout state machine. A scheduled play that cannot start
    /// within `lateTolerance` of its due time is missed rather than played stale; by default
    /// its entry's, else the play's own duration.
    public func playItem(lateToleranceMs: Int64? = nil) -> PlayItem {
        let tolerance = TimeInterval(lateToleranceMs ?? self.lateToleranceMs ?? durationMs) / 1000
        return PlayItem(
            id: id, kind: .scheduled, content: content.sha256, priority: priority, durationMs: durationMs,
            onBusy: onBusy, onInterrupt: onInterrupt, due: start, expiresAt: start.addingTimeInterval(tolerance))
    }
}
