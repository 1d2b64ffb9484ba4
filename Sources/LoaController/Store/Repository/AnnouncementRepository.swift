import Foundation

/// Urgent announcements and their stopping.
public protocol AnnouncementRepository: Sendable {
    func createAnnouncement(_ new: NewAnnouncement, origin: AuditOrigin) async throws(StoreError) -> Announcement
    func announcement(_ id: Int64) async throws(StoreError) -> Announcement
    /// The newest `limit` announcements, newest first.
    func recentAnnouncements(limit: Int) async throws(StoreError) -> [Announcement]
    func stopAnnouncement(_ id: Int64, origin: AuditOrigin) async throws(StoreError) -> Announcement
    /// Announcements not stopped whose window contains `at`.
    func activeAnnouncements(at: Date) async throws(StoreError) -> [Announcement]
    /// Announcements not yet expired at `at`, stopped or not, started or not: what a gateway
    /// that connects must hear about (to play, or to stop).
    func unexpiredAnnouncements(at: Date) async throws(StoreError) -> [Announcement]
}
