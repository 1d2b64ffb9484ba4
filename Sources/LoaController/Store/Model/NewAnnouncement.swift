import Foundation

/// What an operator asks for when pushing an announcement.
public struct NewAnnouncement: Sendable, Equatable {
    public var content: Announcement.Content
    public var target: BroadcastTarget
    public var priority: UInt8
    public var startAt: Date
    public var expiresAt: Date
    /// The emergency dispatch it plays for (a bulletin sent down), so reports know its class and origin.
    public var dispatchID: Int64?

    public init(content: Announcement.Content, target: BroadcastTarget, priority: UInt8, startAt: Date, expiresAt: Date,
                dispatchID: Int64? = nil) {
        self.dispatchID = dispatchID
        self.content = content
        self.target = target
        self.priority = priority
        self.startAt = startAt
        self.expiresAt = expiresAt
    }
}
