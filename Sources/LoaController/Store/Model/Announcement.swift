import Foundation

/// An urgent item pushed now (or at a set time) to areas or gateways, until it expires or is stopped.
public struct Announcement: Sendable, Equatable, Identifiable {
    /// What plays: an approved bulletin, or content known only by its hash (e.g. a recorded message).
    public enum Content: Sendable, Equatable {
        case bulletin(sha256: String)
        case content(sha256: String)

        public var sha256: String {
            switch self {
            case let .bulletin(hash), let .content(hash): return hash
            }
        }
    }

    public var id: Int64
    public var content: Content
    public var target: BroadcastTarget
    public var priority: UInt8
    public var startAt: Date
    public var expiresAt: Date
    public var createdBy: String
    public var createdAt: Date
    public var stoppedAt: Date?
    public var stoppedBy: String?

    public init(
        id: Int64, content: Content, target: BroadcastTarget, priority: UInt8, startAt: Date,
        expiresAt: Date, createdBy: String, createdAt: Date, stoppedAt: Date? = nil, stoppedBy: String? = nil
    ) {
        self.id = id
        self.content = content
        self.target = target
        self.priority = priority
        self.startAt = startAt
        self.expiresAt = expiresAt
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.stoppedAt = stoppedAt
        self.stoppedBy = stoppedBy
    }
}
