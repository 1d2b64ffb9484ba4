import GRDB

extension ControllerDatabase: AuditRepository {
    public func appendAudit(action: String, target: String, details: [String: String], origin: AuditOrigin) async throws(StoreError) {
        try await write { db in try audit(db, action, target: target, details: details, origin: origin) }
    }

    public func auditEntries(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await auditEntries(AuditQuery(cursor: sequence, limit: limit))
    }

    public func auditEntries(_ query: AuditQuery) async throws(StoreError) -> [AuditEntry] {
        var conditions: [String] = []
        var values: [DatabaseValue] = []
        if let cursor = query.cursor {
            conditions.append(query.order == .oldestFirst ? "seq > ?" : "seq < ?")
            values.append(cursor.databaseValue)
        }
        if let actor = query.actor {
            conditions.append("actor = ?")
            values.append(actor.databaseValue)
        }
        if let prefix = query.actionPrefix {
            // A prefix match without LIKE's wildcards: the action's first characters equal it.
            conditions.append("substr(action, 1, ?) = ?")
            values += [prefix.unicodeScalars.count.databaseValue, prefix.databaseValue]
        }
        if let target = query.target {
            conditions.append("target = ?")
            values.append(target.databaseValue)
        }
        if let from = query.from {
            conditions.append("at >= ?")
            values.append(from.millisecondsSince1970.databaseValue)
        }
        if let to = query.to {
            conditions.append("at < ?")
            values.append(to.millisecondsSince1970.databaseValue)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM audit_entry \(filter) ORDER BY seq \(query.order == .oldestFirst ? "ASC" : "DESC") LIMIT ?"
        values.append(max(0, query.limit).databaseValue)
        let arguments = values
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(AuditEntry.init(row:))
        }
    }
}
