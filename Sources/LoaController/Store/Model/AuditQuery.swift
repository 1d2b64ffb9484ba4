import Foundation

/// Which audit entries to read and in which order: a page after (oldest first) or before
/// (newest first) a sequence number, narrowed by who, what and when.
public struct AuditQuery: Sendable, Equatable {
    public enum Order: String, Sendable { case oldestFirst = "asc", newestFirst = "desc" }

    public var order: Order = .oldestFirst
    /// The page starts past this sequence number in `order` (nil: from the start or the end).
    public var cursor: Int64?
    public var limit: Int = 100
    /// The exact actor (a username, `controller`, `anonymous`, a gateway id).
    public var actor: String?
    /// The action, or its start (`user.` matches `user.create`, `user.login` …).
    public var actionPrefix: String?
    /// The exact target.
    public var target: String?
    public var from: Date?
    public var to: Date?

    public init(order: Order = .oldestFirst, cursor: Int64? = nil, limit: Int = 100, actor: String? = nil,
                actionPrefix: String? = nil, target: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.order = order
        self.cursor = cursor
        self.limit = limit
        self.actor = actor
        self.actionPrefix = actionPrefix
        self.target = target
        self.from = from
        self.to = to
    }
}
