#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Anything the gateway may play: a scheduled occurrence, an announcement, a live broadcast or
/// a relayed stream, with what the arbiter needs to decide between them.
public struct PlayItem: Hashable, Sendable, Codable {
    /// Where the item came from; decides the wording of the log (a scheduled play that is too
    /// late is `missed`, anything else `expired`).
    public enum Kind: String, Hashable, Sendable, Codable {
        case scheduled, announcement, live, relay
    }

    public var id: String
    public var kind: Kind
    /// SHA-256 of cached content; nil for live and relayed streams.
    public var content: String?
    public var priority: Priority
    /// Playing time; nil for open-ended items (live, relay) that end by `stop` or source loss.
    public var durationMs: Int64?
    public var onBusy: OnBusy
    public var onInterrupt: OnInterrupt
    /// When it should start.
    public var due: Date
    /// From this instant on it must not start (or resume); nil = never expires.
    public var expiresAt: Date?

    public init(id: String, kind: Kind, content: String? = nil, priority: Priority, durationMs: Int64?,
                onBusy: OnBusy, onInterrupt: OnInterrupt, due: Date, expiresAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.content = content
        self.priority = priority
        self.durationMs = durationMs
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
        self.due = due
        self.expiresAt = expiresAt
    }

    func hasExpired(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }
}
