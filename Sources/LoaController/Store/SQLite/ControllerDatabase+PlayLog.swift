import Foundation
import GRDB

extension ControllerDatabase: PlayLogRepository {
    @discardableResult
    public func recordPlayEvents(_ events: [PlayLogEntry]) async throws(StoreError) -> Int {
        let received = options.now().millisecondsSince1970
        return try await write { db in
            var inserted = 0
            for event in events {
                _ = try Self.requireGateway(db, event.gatewayID)
                try Self.insert(event, received: received, db)
                guard db.changesCount > 0 else { continue }
                inserted += 1
                // The gateway has spoken for the item: the controller's guess goes.
                if event.origin == .gateway {
                    try db.execute(sql: "DELETE FROM play_event WHERE gateway_id = ? AND item_id = ? AND origin = 'controller'",
                                   arguments: [event.gatewayID, event.itemID])
                }
            }
            return inserted
        }
    }

    @discardableResult
    public func recordMissedByController(_ events: [PlayLogEntry]) async throws(StoreError) -> Int {
        let received = options.now().millisecondsSince1970
        return try await write { db in
            var inserted = 0
            for event in events {
                let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM play_event WHERE gateway_id = ? AND item_id = ?)",
                                              arguments: [event.gatewayID, event.itemID]) ?? false
                // A gateway deleted since the sweep read it has nothing to be missed by.
                guard !known, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM gateway WHERE id = ?)",
                                                arguments: [event.gatewayID]) == true else { continue }
                try Self.insert(event, received: received, db)
                inserted += db.changesCount
            }
            return inserted
        }
    }

    private static func insert(_ event: PlayLogEntry, received: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO play_event (event_id, gateway_id, item_id, bulletin_sha256, kind, at, position_ms, received_at, detail, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
            """, arguments: [event.eventID, event.gatewayID, event.itemID, event.bulletinSHA256, event.kind.rawValue,
                             event.at.millisecondsSince1970, event.positionMs, received, event.detail, event.origin.rawValue])
    }

    /// Newest first, by (at, seq) so that pages are stable while new events arrive.
    public func playEvents(_ query: PlayEventQuery) async throws(StoreError) -> PlayEventPage {
        let limit = max(1, min(query.limit, 1_000))
        return try await read { db in
            let (prefix, filter, arguments) = try Self.filter(query, db)
            let rows = try Row.fetchAll(db, sql: """
                \(prefix)SELECT e.* FROM play_event e \(filter) ORDER BY e.at DESC, e.seq DESC LIMIT \(limit + 1)
                """, arguments: arguments)
            let page = rows.prefix(limit)
            let next = rows.count > limit ? page.last.map { PlayEventQuery.Cursor(atMs: $0["at"], sequence: $0["seq"]) } : nil
            return PlayEventPage(events: page.map(PlayLogEntry.init(row:)), next: next)
        }
    }

    /// Walks the first events of lives newest first (the `at` index, keyset), so a page costs
    /// its own rows whatever the size of the log; each row's last event by (at, seq).
    public func playOutcomes(_ query: PlayEventQuery) async throws(StoreError) -> PlayOutcomePage {
        let limit = max(1, min(query.limit, 1_000))
        return try await read { db in
            var (prefix, filter, arguments) = try Self.filter(query, db)
            filter += (filter.isEmpty ? "WHERE " : " AND ") + """
                NOT EXISTS (SELECT 1 FROM play_event p WHERE p.gateway_id = e.gateway_id AND p.item_id = e.item_id
                            AND (p.at < e.at OR (p.at = e.at AND p.seq < e.seq)))
                """
            let rows = try Row.fetchAll(db, sql: """
                \(prefix)SELECT e.gateway_id, e.item_id, e.bulletin_sha256, e.at AS first_at, e.seq AS first_seq,
                    l.kind, l.at AS last_at, l.position_ms, l.detail, l.origin,
                    (SELECT count(*) FROM play_event c WHERE c.gateway_id = e.gateway_id AND c.item_id = e.item_id) AS events
                FROM play_event e
                JOIN play_event l ON l.seq = (SELECT x.seq FROM play_event x WHERE x.gateway_id = e.gateway_id AND x.item_id = e.item_id
                                              ORDER BY x.at DESC, x.seq DESC LIMIT 1)
                \(filter) ORDER BY e.at DESC, e.seq DESC LIMIT \(limit + 1)
                """, arguments: arguments)
            let page = rows.prefix(limit)
            let next = rows.count > limit ? page.last.map { PlayEventQuery.Cursor(atMs: $0["first_at"], sequence: $0["first_seq"]) } : nil
            return PlayOutcomePage(outcomes: page.map { row in
                PlayOutcome(gatewayID: row["gateway_id"], itemID: row["item_id"], bulletinSHA256: row["bulletin_sha256"],
                            outcome: PlayOutcome.Outcome(last: PlayLogEntry.Kind(rawValue: row["kind"]) ?? .missed),
                            positionMs: row["position_ms"], firstAt: Date(millisecondsSince1970: row["first_at"]),
                            lastAt: Date(millisecondsSince1970: row["last_at"]), events: row["events"], detail: row["detail"],
                            origin: PlayLogEntry.Origin(rawValue: row["origin"]) ?? .gateway)
            }, next: next)
        }
    }

    /// The query's filters on events `e`: a recursive area prefix, the WHERE clause, its arguments.
    private static func filter(_ query: PlayEventQuery, _ db: Database) throws -> (String, String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        var prefix = ""
        if let areaID = query.areaID {
            _ = try requireArea(db, areaID)
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
        return (prefix, clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }
}
