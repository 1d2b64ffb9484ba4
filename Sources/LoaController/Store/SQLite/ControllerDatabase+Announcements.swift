import Foundation
import GRDB

extension ControllerDatabase: AnnouncementRepository {
    public func createAnnouncement(_ new: NewAnnouncement, origin: AuditOrigin) async throws(StoreError) -> Announcement {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            func refuse(_ reason: String) -> StoreError { .invalid(kind: "announcement", id: "new", reason: reason) }
            guard new.expiresAt > new.startAt else { throw refuse("it expires before it starts") }
            guard Bulletin.isValidSHA256(new.content.sha256) else { throw refuse("content is not a lowercase hex SHA-256") }
            var bulletinHash: String?
            var contentHash: String?
            switch new.content {
            case let .bulletin(sha256):
                let bulletin = try Self.requireBulletin(db, sha256)
                guard bulletin.state == .approved else {
                    throw refuse("bulletin \(sha256.prefix(4))… is \(bulletin.state.rawValue), not approved")
                }
                bulletinHash = sha256
            case let .content(sha256):
                contentHash = sha256
            }
            try Self.checkTarget(db, new.target, kind: "announcement", id: "new")
            _ = try Self.requireUser(db, origin.actor)
            try db.execute(sql: """
                INSERT INTO announcement (bulletin_sha256, content_sha256, priority, start_at, expires_at, created_by, created_at, dispatch_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [bulletinHash, contentHash, Int(new.priority), new.startAt.millisecondsSince1970,
                                 new.expiresAt.millisecondsSince1970, origin.actor, now, new.dispatchID])
            let id = db.lastInsertedRowID
            try Self.insertTargets(db, new.target, owner: "announcement", id: id)
            try audit(db, "announcement.create", target: "\(id)",
                      details: ["content": new.content.sha256, "priority": "\(new.priority)"], origin: origin)
            return try Self.requireAnnouncement(db, id)
        }
    }

    public func announcement(_ id: Int64) async throws(StoreError) -> Announcement {
        try await read { db in try Self.requireAnnouncement(db, id) }
    }

    public func recentAnnouncements(limit: Int) async throws(StoreError) -> [Announcement] {
        try await read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM announcement ORDER BY id DESC LIMIT ?", arguments: [max(0, limit)])
                .map { try Self.requireAnnouncement(db, $0) }
        }
    }

    public func stopAnnouncement(_ id: Int64, origin: AuditOrigin) async throws(StoreError) -> Announcement {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            let old = try Self.requireAnnouncement(db, id)
            guard old.stoppedAt == nil else {
                throw StoreError.invalid(kind: "announcement", id: "\(id)", reason: "already stopped by \(old.stoppedBy ?? "?")")
            }
            try db.execute(sql: "UPDATE announcement SET stopped_at = ?, stopped_by = ? WHERE id = ?",
                           arguments: [now, origin.actor, id])
            try audit(db, "announcement.stop", target: "\(id)", origin: origin)
            return try Self.requireAnnouncement(db, id)
        }
    }

    public func activeAnnouncements(at: Date) async throws(StoreError) -> [Announcement] {
        try await read { db in
            let ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM announcement WHERE stopped_at IS NULL AND expires_at > ?1 AND start_at <= ?1
                ORDER BY priority DESC, id
                """, arguments: [at.millisecondsSince1970])
            return try ids.map { try Self.requireAnnouncement(db, $0) }
        }
    }

    public func unexpiredAnnouncements(at: Date) async throws(StoreError) -> [Announcement] {
        try await read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM announcement WHERE expires_at > ? ORDER BY priority DESC, id",
                                         arguments: [at.millisecondsSince1970])
            return try ids.map { try Self.requireAnnouncement(db, $0) }
        }
    }

    static func requireAnnouncement(_ db: Database, _ id: Int64) throws -> Announcement {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM announcement WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(kind: "announcement", id: "\(id)")
        }
        let bulletin: String? = row["bulletin_sha256"]
        let stoppedAt: Int64? = row["stopped_at"]
        return Announcement(
            id: id, content: bulletin.map { .bulletin(sha256: $0) } ?? .content(sha256: row["content_sha256"]),
            target: try targets(db, owner: "announcement", id: id), priority: UInt8(clamping: row["priority"] as Int),
            startAt: .init(millisecondsSince1970: row["start_at"]), expiresAt: .init(millisecondsSince1970: row["expires_at"]),
            createdBy: row["created_by"], createdAt: .init(millisecondsSince1970: row["created_at"]),
            stoppedAt: stoppedAt.map(Date.init(millisecondsSince1970:)), stoppedBy: row["stopped_by"]
        )
    }
}
