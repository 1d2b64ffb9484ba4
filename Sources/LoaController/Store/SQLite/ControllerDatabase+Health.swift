import Foundation
import GRDB

extension ControllerDatabase: HealthRepository {
    public func recordHealth(_ sample: HealthSample) async throws(StoreError) {
        let limits = healthLimits(at: sample.at)
        try await write { db in try Self.insertHealth(sample, keep: limits.keep, oldest: limits.oldest, db) }
    }

    public func recordHealthReports(_ samples: [HealthSample]) async throws(StoreError) {
        let limits = samples.map { healthLimits(at: $0.at) }
        try await write { db in
            for (sample, limits) in zip(samples, limits) {
                try Self.insertHealth(sample, keep: limits.keep, oldest: limits.oldest, db)
                try Self.markSeen(db, sample.gatewayID, at: sample.at.millisecondsSince1970)
            }
        }
    }

    private func healthLimits(at: Date) -> (keep: Int, oldest: Int64) {
        (max(1, options.healthHistoryLimit), at.addingTimeInterval(-max(0, options.healthHistoryMaxAge)).millisecondsSince1970)
    }

    /// The sample as the latest and in the history, the history pruned; inside a transaction.
    static func insertHealth(_ sample: HealthSample, keep: Int, oldest: Int64, _ db: Database) throws {
        let report = String(decoding: sample.report, as: UTF8.self)
        _ = try requireGateway(db, sample.gatewayID)
        let at = sample.at.millisecondsSince1970
        // A late, older sample joins the history but does not replace a newer latest.
        try db.execute(sql: """
            INSERT INTO health_latest (gateway_id, at, report) VALUES (?, ?, ?)
            ON CONFLICT (gateway_id) DO UPDATE SET at = excluded.at, report = excluded.report
            WHERE excluded.at >= health_latest.at
            """, arguments: [sample.gatewayID, at, report])
        try db.execute(sql: "INSERT INTO health_history (gateway_id, at, report) VALUES (?, ?, ?)",
                       arguments: [sample.gatewayID, at, report])
        try db.execute(sql: """
            DELETE FROM health_history WHERE gateway_id = ?1 AND seq <= (
                SELECT seq FROM health_history WHERE gateway_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)
            """, arguments: [sample.gatewayID, keep])
        try db.execute(sql: "DELETE FROM health_history WHERE gateway_id = ? AND at < ?", arguments: [sample.gatewayID, oldest])
    }

    public func latestHealth(of gatewayID: String) async throws(StoreError) -> HealthSample? {
        try await read { db in
            _ = try Self.requireGateway(db, gatewayID)
            return try Row.fetchOne(db, sql: "SELECT * FROM health_latest WHERE gateway_id = ?", arguments: [gatewayID])
                .map(HealthSample.init(row:))
        }
    }

    public func allLatestHealth() async throws(StoreError) -> [HealthSample] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM health_latest ORDER BY gateway_id").map(HealthSample.init(row:))
        }
    }

    public func latestHealth(inSubtreeOf areaID: String) async throws(StoreError) -> [HealthSample] {
        try await read { db in
            _ = try Self.requireArea(db, areaID)
            return try Row.fetchAll(db, sql: """
                WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id)
                SELECT h.* FROM sub JOIN gateway g ON g.area_id = sub.id JOIN health_latest h ON h.gateway_id = g.id
                ORDER BY h.gateway_id
                """, arguments: [areaID]).map(HealthSample.init(row:))
        }
    }

    public func healthHistory(of gatewayID: String, limit: Int) async throws(StoreError) -> [HealthSample] {
        try await read { db in
            _ = try Self.requireGateway(db, gatewayID)
            return try Row.fetchAll(db, sql: """
                SELECT * FROM health_history WHERE gateway_id = ? ORDER BY seq DESC LIMIT ?
                """, arguments: [gatewayID, max(0, limit)]).map(HealthSample.init(row:))
        }
    }
}
