import GRDB

extension ControllerDatabase: PlayLogRepository {
    @discardableResult
    public func recordPlayEvents(_ events: [PlayEvent]) async throws(StoreError) -> Int {
        let received = options.now().millisecondsSince1970
        return try await write { db in
            var inserted = 0
            for event in events {
                _ = try Self.requireGateway(db, event.gatewayID)
                try db.execute(sql: """
                    INSERT INTO play_event (event_id, gateway_id, item_id, bulletin_sha256, kind, at, position_ms, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                    """, arguments: [event.eventID, event.gatewayID, event.itemID, event.bulletinSHA256, event.kind.rawValue,
                                     event.at.millisecondsSince1970, event.positionMs, received])
                inserted += db.changesCount
            }
            return inserted
        }
    }

    /// Newest first, by (at, seq) so that pages are stable while new events arrive.
    public func playEvents(_ query: PlayEventQuery) async throws(StoreError) -> PlayEventPage {
        let limit = max(1, min(query.limit, 1_000))
        return try await read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            var prefix = ""
            if let areaID = query.areaID {
                _ = try Self.requireArea(db, areaID)
                prefix = "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id) "
                arguments += [areaID]
                clauses.append("e.gateway_id IN (SELECT g.id FROM sub JOIN gateway g ON g.area_id = sub.id)")
            }
            if let gatewayID = query.gatewayID { clauses.append("e.gateway_id = ?"); arguments += [gatewayID] }
            if let hash = query.bulletinSHA256 { clauses.append("e.bulletin_sha256 = ?"); arguments += [hash] }
            if let from = query.from { clauses.append("e.at >= ?"); arguments += [from.millisecondsSince1970] }
            if let until = query.until { clauses.append("e.at < ?"); arguments += [until.millisecondsSince1970] }
            if let after = query.after {
                clauses.append("(e.at < ? OR (e.at = ? AND e.seq < ?))")
                arguments += [after.atMs, after.atMs, after.sequence]
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let rows = try Row.fetchAll(db, sql: """
                \(prefix)SELECT e.* FROM play_event e \(filter) ORDER BY e.at DESC, e.seq DESC LIMIT \(limit + 1)
                """, arguments: arguments)
            let page = rows.prefix(limit)
            let next = rows.count > limit ? page.last.map { PlayEventQuery.Cursor(atMs: $0["at"], sequence: $0["seq"]) } : nil
            return PlayEventPage(events: page.map(PlayEvent.init(row:)), next: next)
        }
    }
}
