#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an outbox item carries to the controller.
public enum OutboxKind: String, Hashable, Sendable, CaseIterable {
    /// An as-played event (started, finished, interrupted …): never dropped until acknowledged.
    case playEvent = "play"
    /// A health snapshot: only the latest N are kept.
    case health = "health"
}

/// One queued item. `id` is a random UUID chosen when the item is appended, so it is unique
/// across restarts and a resend after reconnect carries the same id for the controller to
/// dedupe. `sequence` orders items as appended.
public struct OutboxItem: Hashable, Sendable {
    public let sequence: Int64
    public let id: UUID
    public let kind: OutboxKind
    /// The encoded event or snapshot (opaque to the outbox; the link layer owns the type).
    public let payload: Data
    public let createdAt: Date
}
