import Foundation
import GRDB
import LoaSchedule

/// Gateway presence spans and the facts of a period report (`ReportRepository`).
extension ControllerDatabase: ReportRepository {
    /// A reconnect within this long continues the last span.
    static let presenceJoinMs: Int64 = 60_000
    /// Spans that ended longer ago than this are pruned when the gateway next connects.
    static let presenceKeepMs: Int64 = 400 * 86_400_000

    public func gatewayConnected(_ id: String, at: Date) async throws(StoreError) {
        try await write { db in try Self.openPresence(db, id, at: at.millisecondsSince1970) }
    }

    public func gatewayDisconnected(_ id: String, at: Date) async throws(StoreError) {
        try await write { db in try Self.endPresence(db, id, at: at.millisecondsSince1970) }
    }

    public func recordPresence(_ changes: [PresenceChange]) async throws(StoreError) {
        try await write { db in
            for change in changes {
                let at = change.at.millisecondsSince1970
                if change.connected { try Self.openPresence(db, change.gatewayID, at: at) } else { try Self.endPresence(db, change.gatewayID, at: at) }
            }
        }
    }

    /// A session began (see `gatewayConnected`); inside a transaction.
    static func openPresence(_ db: Database, _ id: String, at now: Int64) throws {
        try db.execute(sql: "UPDATE gateway SET last_seen_at = max(coalesce(last_seen_at, 0), ?) WHERE id = ?", arguments: [now, id])
        if db.changesCount == 0 { throw StoreError.notFound(kind: "gateway", id: id) }
        try db.execute(sql: "UPDATE gateway_presence SET open = 0 WHERE gateway_id = ? AND open = 1", arguments: [id])
        let last = try Row.fetchOne(db, sql: "SELECT id, online_to FROM gateway_presence WHERE gateway_id = ? ORDER BY online_to DESC LIMIT 1",
                                    arguments: [id])
        if let last, let lastTo: Int64 = last["online_to"], now - lastTo <= presenceJoinMs {
            try db.execute(sql: "UPDATE gateway_presence SET online_to = max(online_to, ?), open = 1 WHERE id = ?",
                           arguments: [now, last["id"] as Int64])
        } else {
            try db.execute(sql: "INSERT INTO gateway_presence (gateway_id, online_from, online_to, open) VALUES (?, ?, ?, 1)",
                           arguments: [id, now, now])
        }
        try db.execute(sql: "DELETE FROM gateway_presence WHERE gateway_id = ? AND online_to < ?", arguments: [id, now - presenceKeepMs])
    }

    /// A session ended: last seen, its span closed; inside a transaction.
    static func endPresence(_ db: Database, _ id: String, at now: Int64) throws {
        try db.execute(sql: "UPDATE gateway SET last_seen_at = max(coalesce(last_seen_at, 0), ?) WHERE id = ?", arguments: [now, id])
        try closePresence(db, id, at: now)
    }

    /// Extends the gateway's open span to `at` (a report from a connected gateway).
    static func extendPresence(_ db: Database, _ id: String, at: Int64) throws {
        try db.execute(sql: "UPDATE gateway_presence SET online_to = max(online_to, ?) WHERE gateway_id = ? AND open = 1", arguments: [at, id])
    }

    static func closePresence(_ db: Database, _ id: String, at: Int64) throws {
        try db.execute(sql: "UPDATE gateway_presence SET online_to = max(online_to, ?), open = 0 WHERE gateway_id = ? AND open = 1",
                       arguments: [at, id])
    }

    public func reportFacts(gatewayIDs: [String], in interval: DateInterval) async throws(StoreError) -> ReportFacts {
        let from = interval.start.millisecondsSince1970, to = interval.end.millisecondsSince1970
        let day: Int64 = 86_400_000
        return try await read { db in
            var facts = ReportFacts()
            let lives = try db.makeStatement(sql: """
                SELECT item_id, min(at) AS first_at, max(position_ms) AS sounded,
                       max(kind IN ('started', 'resumed')) AS started, max(kind = 'missed') AS missed
                FROM play_event WHERE gateway_id = ? AND at >= ? AND at < ?
                GROUP BY item_id HAVING min(at) >= ? AND min(at) < ?
                """)
            let spans = try db.makeStatement(sql: """
                SELECT online_from, online_to, open FROM gateway_presence WHERE gateway_id = ? AND online_to >= ? AND online_from < ?
                """)
            let uptimes = try db.makeStatement(sql: """
                SELECT at, CAST(json_extract(report, '$.serviceUptimeSeconds') AS INTEGER) AS up FROM health_history
                WHERE gateway_id = ? AND at >= ? AND at < ? AND json_type(report, '$.serviceUptimeSeconds') = 'integer'
                """)
            for gateway in Array(Set(gatewayIDs)).sorted() {
                for row in try Row.fetchAll(lives, arguments: [gateway, from - day, to + day, from, to]) {
                    facts.lives.append(ReportFacts.Life(gatewayID: gateway, itemID: row["item_id"],
                                                        firstAt: Date(millisecondsSince1970: row["first_at"]), soundedMs: row["sounded"],
                                                        started: row["started"] as Int64 == 1, missed: row["missed"] as Int64 == 1))
                }
                for row in try Row.fetchAll(spans, arguments: [gateway, from, to]) {
                    facts.presence.append(ReportFacts.Presence(gatewayID: gateway, from: Date(millisecondsSince1970: row["online_from"]),
                                                               to: Date(millisecondsSince1970: row["online_to"]), open: row["open"] as Int64 == 1))
                }
                for row in try Row.fetchAll(uptimes, arguments: [gateway, from, to + day]) {
                    facts.uptimes.append(ReportFacts.Uptime(gatewayID: gateway, at: Date(millisecondsSince1970: row["at"]),
                                                            serviceUptimeSeconds: row["up"]))
                }
            }
            try Self.readOrigins(db, into: &facts)
            return facts
        }
    }

    /// Where the lives' items came from: the dispatch targets and emergency announcements they
    /// play, and which of their live streams were relays.
    private static func readOrigins(_ db: Database, into facts: inout ReportFacts) throws {
        var targets: Set<Int64> = [], announcements: Set<Int64> = [], streams: Set<Int64> = []
        for life in facts.lives {
            if let target = ProgramCompiler.dispatchTarget(fromItemID: life.itemID) { targets.insert(target) }
            if life.itemID.hasPrefix("announcement-"), let id = Int64(life.itemID.dropFirst(13).prefix { $0.isNumber }) { announcements.insert(id) }
            if life.itemID.hasPrefix("live-"), let id = Int64(life.itemID.dropFirst(5).prefix { $0.isNumber }) { streams.insert(id) }
        }
        let target = try db.makeStatement(sql: """
            SELECT d.class, COALESCE(r.sender_level, a.kind) AS kind, t.program_id, t.occurrence_date
            FROM dispatch_target t JOIN dispatch d ON d.id = t.dispatch_id
            LEFT JOIN area a ON a.id = d.sender_area_id LEFT JOIN link_receipt r ON r.dispatch_id = d.id WHERE t.id = ?
            """)
        for id in targets {
            guard let row = try Row.fetchOne(target, arguments: [id]), let sent = Dispatch.Class(rawValue: row["class"]) else { continue }
            let date: String? = row["occurrence_date"]
            facts.dispatchTargets[id] = ReportFacts.SentDown(dispatchClass: sent, origin: origin(senderKind: row["kind"]),
                                                            programID: row["program_id"], date: date.flatMap(LocalDate.init))
        }
        let announcement = try db.makeStatement(sql: """
            SELECT d.class, COALESCE(r.sender_level, a.kind) AS kind FROM announcement n JOIN dispatch d ON d.id = n.dispatch_id
            LEFT JOIN area a ON a.id = d.sender_area_id LEFT JOIN link_receipt r ON r.dispatch_id = d.id WHERE n.id = ?
            """)
        for id in announcements {
            guard let row = try Row.fetchOne(announcement, arguments: [id]), let sent = Dispatch.Class(rawValue: row["class"]) else { continue }
            facts.announcements[id] = ReportFacts.SentDown(dispatchClass: sent, origin: origin(senderKind: row["kind"]))
        }
        let relay = try db.makeStatement(sql: "SELECT 1 FROM live_stream WHERE id = ? AND (relay_url IS NOT NULL OR relay_schedule_id IS NOT NULL)")
        for id in streams where try Row.fetchOne(relay, arguments: [id]) != nil { facts.relayStreams.insert(id) }
    }

    /// A sender with no area is the central level; a district's or province's user, that level.
    /// What came through the link carries the level it was sent from above (`link_receipt`:
    /// `central`, `province`, `district`).
    static func origin(senderKind: String?) -> PeriodReport.Origin {
        switch senderKind.flatMap(Area.Kind.init(rawValue:)) {
        case nil: return .centre
        case .district?: return .district
        case .province?: return .province
        case .commune?: return .own
        }
    }
}
