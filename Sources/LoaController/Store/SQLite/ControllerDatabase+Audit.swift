import GRDB

extension ControllerDatabase: AuditRepository {
    public func appendAudit(action: String, target: String, details: [String: String], origin: AuditOrigin) async throws(StoreError) {
        try await write { db in try audit(db, action, target: target, details: details, origin: origin) }
    }

    public func auditEntries(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?",
                             arguments: [sequence, max(0, limit)]).map(AuditEntry.init(row:))
        }
    }
}
