import Foundation
import GRDB

extension ControllerDatabase: LinkRepository {
    // MARK: Upstream side

    public func offeredTargets(areas: Set<String>, after: Int64, limit: Int) async throws(StoreError) -> [OfferedTarget] {
        guard !areas.isEmpty else { return [] }
        let list = Array(areas)
        return try await read { db in
            let marks = databaseQuestionMarks(count: list.count)
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, dispatch_id FROM dispatch_target WHERE id > ? AND area_id IN (\(marks)) ORDER BY id LIMIT ?
                """, arguments: StatementArguments([after as any DatabaseValueConvertible] + list.map { $0 as any DatabaseValueConvertible } + [limit as any DatabaseValueConvertible]))
            var dispatches: [Int64: Dispatch] = [:]
            return try rows.map { row in
                let dispatchID: Int64 = row["dispatch_id"]
                let dispatch = try dispatches[dispatchID] ?? Self.requireDispatch(db, dispatchID)
                dispatches[dispatchID] = dispatch
                let targetID: Int64 = row["id"]
                guard let target = dispatch.targets.first(where: { $0.id == targetID }) else {
                    throw StoreError.notFound(kind: "dispatch target", id: "\(targetID)")
                }
                return OfferedTarget(dispatch: dispatch, target: target)
            }
        }
    }

    public func acknowledgeOffers(_ ids: [Int64], link: String, areas: Set<String>) async throws(StoreError) -> [Int64] {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            var recorded: [Int64] = []
            for id in Set(ids).sorted() {
                guard let area = try String.fetchOne(db, sql: "SELECT area_id FROM dispatch_target WHERE id = ?", arguments: [id]),
                      areas.contains(area) else { continue }
                try db.execute(sql: "INSERT OR IGNORE INTO link_offer_ack (target_id, link, acked_at) VALUES (?, ?, ?)",
                               arguments: [id, link, now])
                recorded.append(id)
            }
            return recorded
        }
    }

    public func recordOfferStatus(_ offers: [LinkStatusReport.Offer], link: String, areas: Set<String>) async throws(StoreError) -> [Int64] {
        let now = options.now().millisecondsSince1970
        let encoded = offers.map { ($0, String(decoding: (try? JSONEncoder().encode($0.plays)) ?? Data("[]".utf8), as: UTF8.self)) }
        return try await write { db in
            var recorded: [Int64] = []
            for (offer, plays) in encoded {
                guard let area = try String.fetchOne(db, sql: "SELECT area_id FROM dispatch_target WHERE id = ?", arguments: [offer.id]),
                      areas.contains(area) else { continue }
                try db.execute(sql: """
                    INSERT INTO link_offer_status (target_id, link, state, reason, plays, reported_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (target_id) DO UPDATE SET link = excluded.link, state = excluded.state, reason = excluded.reason,
                        plays = excluded.plays, reported_at = excluded.reported_at
                    """, arguments: [offer.id, link, offer.state, offer.reason, plays, now])
                // A report of an offer says it was taken, even if its acknowledgement was lost.
                try db.execute(sql: "INSERT OR IGNORE INTO link_offer_ack (target_id, link, acked_at) VALUES (?, ?, ?)", arguments: [offer.id, link, now])
                recorded.append(offer.id)
            }
            return recorded
        }
    }

    public func offerStatus(dispatch id: Int64) async throws(StoreError) -> [Int64: LinkOfferStatus] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.* FROM link_offer_status s JOIN dispatch_target t ON t.id = s.target_id WHERE t.dispatch_id = ?
                """, arguments: [id])
            var result: [Int64: LinkOfferStatus] = [:]
            for row in rows {
                let plays = (try? JSONDecoder().decode([LinkStatusReport.Play].self, from: Data((row["plays"] as String).utf8))) ?? []
                let status = LinkOfferStatus(targetID: row["target_id"], link: row["link"], state: row["state"], reason: row["reason"],
                                             plays: plays, reportedAt: Date(millisecondsSince1970: row["reported_at"]))
                result[status.targetID] = status
            }
            return result
        }
    }

    public func isOfferedAudio(_ sha256: String, areas: Set<String>) async throws(StoreError) -> Bool {
        guard !areas.isEmpty else { return false }
        let list = Array(areas)
        return try await read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM dispatch d JOIN dispatch_target t ON t.dispatch_id = d.id
                               WHERE d.bulletin_sha256 = ? AND t.area_id IN (\(databaseQuestionMarks(count: list.count))))
                """, arguments: StatementArguments(([sha256] + list).map { $0 as any DatabaseValueConvertible })) ?? false
        }
    }

    public func storePeriodReport(_ report: LinkPeriodReport) async throws(StoreError) {
        try await write { db in
            _ = try Self.requireArea(db, report.areaID)
            try db.execute(sql: """
                INSERT INTO link_period_report (link, area_id, period_from, period_to, report, received_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (link, area_id, period_from) DO UPDATE SET period_to = excluded.period_to, report = excluded.report,
                    received_at = excluded.received_at
                """, arguments: [report.link, report.areaID, report.from, report.to, report.report, report.receivedAt.millisecondsSince1970])
        }
    }

    public func periodReports() async throws(StoreError) -> [LinkPeriodReport] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM link_period_report ORDER BY period_from DESC, area_id, link").map { row in
                LinkPeriodReport(link: row["link"], areaID: row["area_id"], from: row["period_from"], to: row["period_to"],
                                 report: row["report"], receivedAt: Date(millisecondsSince1970: row["received_at"]))
            }
        }
    }

    // MARK: Downstream side

    public func linkCursor(upstream: String) async throws(StoreError) -> Int64 {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT after_offer FROM link_cursor WHERE upstream = ?", arguments: [upstream]) ?? 0
        }
    }

    public func receivedOffers(upstream: String, among ids: [Int64]) async throws(StoreError) -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return try await read { db in
            Set(try Int64.fetchAll(db, sql: """
                SELECT offer_id FROM link_receipt WHERE upstream = ? AND offer_id IN (\(databaseQuestionMarks(count: ids.count)))
                """, arguments: StatementArguments([upstream as any DatabaseValueConvertible] + ids.map { $0 as any DatabaseValueConvertible })))
        }
    }

    public func receiveOffer(upstream: String, offerID: Int64, dispatch: Dispatch?, reason: String?, senderLevel: String,
                             origin: AuditOrigin) async throws(StoreError) -> Dispatch? {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM link_receipt WHERE upstream = ? AND offer_id = ?)",
                                 arguments: [upstream, offerID]) == true { return nil }
            var stored: Dispatch?
            if let dispatch {
                stored = try Self.requireDispatch(db, try self.insertDispatch(db, dispatch, origin: origin, now: now))
            }
            try db.execute(sql: """
                INSERT INTO link_receipt (upstream, offer_id, dispatch_id, outcome, reason, sender_level, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [upstream, offerID, stored?.id, dispatch == nil ? "refused" : "taken", reason, senderLevel, now])
            try Self.moveCursor(db, upstream: upstream, to: offerID, now: now)
            try self.audit(db, "link.offer", target: "\(offerID)",
                           details: ["upstream": upstream, "outcome": dispatch == nil ? "refused" : "taken", "reason": reason ?? ""], origin: origin)
            return stored
        }
    }

    public func advanceLinkCursor(upstream: String, to offerID: Int64) async throws(StoreError) {
        let now = options.now().millisecondsSince1970
        try await write { db in try Self.moveCursor(db, upstream: upstream, to: offerID, now: now) }
    }

    public func linkReceipts(upstream: String, limit: Int) async throws(StoreError) -> [LinkReceipt] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM link_receipt WHERE upstream = ? ORDER BY offer_id DESC LIMIT ?",
                             arguments: [upstream, limit]).map { row in
                LinkReceipt(offerID: row["offer_id"], dispatchID: row["dispatch_id"], taken: (row["outcome"] as String) == "taken",
                            reason: row["reason"], senderLevel: row["sender_level"])
            }
        }
    }

    public func linkSenderLevel(dispatch id: Int64) async throws(StoreError) -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT sender_level FROM link_receipt WHERE dispatch_id = ?", arguments: [id])
        }
    }

    static func moveCursor(_ db: Database, upstream: String, to offerID: Int64, now: Int64) throws {
        try db.execute(sql: """
            INSERT INTO link_cursor (upstream, after_offer, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (upstream) DO UPDATE SET after_offer = max(after_offer, excluded.after_offer), updated_at = excluded.updated_at
            """, arguments: [upstream, offerID, now])
    }
}
