import GRDB

extension ControllerDatabase: BulletinRepository {
    public func createBulletin(_ new: NewBulletin, origin: AuditOrigin) async throws(StoreError) -> Bulletin {
        guard Bulletin.isValidSHA256(new.sha256) else {
            throw .invalid(kind: "bulletin", id: new.sha256, reason: "not a lowercase hex SHA-256")
        }
        if let problem = Identifier.textProblem(new.title, field: "title") {
            throw .invalid(kind: "bulletin", id: new.sha256, reason: problem)
        }
        let now = options.now()
        return try await write { db in
            if try Self.findBulletin(db, new.sha256) != nil { throw StoreError.alreadyExists(kind: "bulletin", id: new.sha256) }
            _ = try Self.requireUser(db, origin.actor)
            try db.execute(sql: """
                INSERT INTO bulletin (sha256, title, duration_ms, loudness_lufs, byte_size, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [new.sha256, new.title, new.durationMs, new.loudnessLUFS, new.byteSize,
                                 origin.actor, now.millisecondsSince1970])
            try audit(db, "bulletin.create", target: new.sha256, details: ["title": new.title], origin: origin)
            return try Self.requireBulletin(db, new.sha256)
        }
    }

    public func bulletin(_ sha256: String) async throws(StoreError) -> Bulletin {
        try await read { db in try Self.requireBulletin(db, sha256) }
    }

    public func bulletins(in state: BulletinState?) async throws(StoreError) -> [Bulletin] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM bulletin WHERE ?1 IS NULL OR state = ?1 ORDER BY created_at DESC, sha256
                """, arguments: [state?.rawValue]).map(Bulletin.init(row:))
        }
    }

    public func retitleBulletin(_ sha256: String, title: String, origin: AuditOrigin) async throws(StoreError) -> Bulletin {
        if let problem = Identifier.textProblem(title, field: "title") { throw .invalid(kind: "bulletin", id: sha256, reason: problem) }
        return try await write { db in
            _ = try Self.requireBulletin(db, sha256)
            try db.execute(sql: "UPDATE bulletin SET title = ? WHERE sha256 = ?", arguments: [title, sha256])
            try audit(db, "bulletin.retitle", target: sha256, details: ["title": title], origin: origin)
            return try Self.requireBulletin(db, sha256)
        }
    }

    public func transitionBulletin(_ sha256: String, to state: BulletinState, origin: AuditOrigin) async throws(StoreError) -> Bulletin {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            let old = try Self.requireBulletin(db, sha256)
            guard old.state.canTransition(to: state) else {
                throw StoreError.bulletinTransitionRefused(sha256: sha256, from: old.state, to: state)
            }
            switch state {
            case .approved:
                _ = try Self.requireUser(db, origin.actor)
                try db.execute(sql: "UPDATE bulletin SET state = 'approved', approved_by = ?, approved_at = ? WHERE sha256 = ?",
                               arguments: [origin.actor, now, sha256])
            case .archived:
                try db.execute(sql: "UPDATE bulletin SET state = 'archived', archived_at = ? WHERE sha256 = ?",
                               arguments: [now, sha256])
            case .draft:
                break  // refused above: nothing returns to draft
            }
            let reached = try Self.gatewaysReached(
                db, entriesSQL: "SELECT id FROM schedule_entry WHERE bulletin_sha256 = ?", arguments: [sha256])
            try Self.bumpScheduleVersions(db, gatewayIDs: reached)
            let programAreas = try String.fetchAll(db, sql: """
                SELECT DISTINCT p.area_id FROM program p JOIN program_item i ON i.program_id = p.id WHERE i.bulletin_sha256 = ?
                """, arguments: [sha256])
            for area in programAreas { try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: area) }
            try audit(db, "bulletin.\(state == .approved ? "approve" : "archive")", target: sha256,
                      details: ["from": old.state.rawValue, "to": state.rawValue], origin: origin)
            return try Self.requireBulletin(db, sha256)
        }
    }

    static func findBulletin(_ db: Database, _ sha256: String) throws -> Bulletin? {
        try Row.fetchOne(db, sql: "SELECT * FROM bulletin WHERE sha256 = ?", arguments: [sha256]).map(Bulletin.init(row:))
    }

    static func requireBulletin(_ db: Database, _ sha256: String) throws -> Bulletin {
        guard let bulletin = try findBulletin(db, sha256) else { throw StoreError.notFound(kind: "bulletin", id: sha256) }
        return bulletin
    }
}
