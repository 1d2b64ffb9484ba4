import Foundation

/// What an operator asks for when pushing an announcement.
public struct NewAnnouncement: Sendable, Equatable {
    public var content: Announcement.Content
    public var target: BroadcastTarget
    public var priority: UInt8
    public var startAt: Date
    public var expiresAt: Date

    public init(content: Announcement.Content, target: BroadcastTarget, priority: UInt8, startAt: Date, expiresAt: Date) {
        self.content = content
        self.target = target
        self.priority = priority
        self.startAt = startAt
        self.expiresAt = expiresAt
    }
}
