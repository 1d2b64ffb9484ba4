import Foundation
import GRDB
import LoaSchedule

extension ControllerDatabase: RelayScheduleRepository {
    public func createRelaySchedule(_ rule: RelaySchedule, origin: AuditOrigin) async throws(StoreError) -> RelaySchedule {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            _ = try Self.requireArea(db, rule.areaID)
            _ = try Self.requireUser(db, origin.actor)
            if let fallback = rule.fallbackSHA256 { _ = try Self.requireBulletin(db, fallback) }
            try db.execute(sql: """
                INSERT INTO relay_schedule (area_id, title, relay_url, recurrence, weekdays, time_of_day, valid_from, valid_to,
                    duration_seconds, priority, on_busy, on_interrupt, fallback_sha256, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [rule.areaID, rule.title, rule.relayURL, rule.recurrence.name, rule.recurrence.weekdayMask,
                                 rule.timeOfDay.secondsSinceMidnight, rule.validFrom.description, rule.validTo?.description,
                                 rule.durationSeconds, Int(rule.priority), rule.onBusy.rawValue, rule.onInterrupt.rawValue,
                                 rule.fallbackSHA256, origin.actor, now])
            let id = db.lastInsertedRowID
            try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: rule.areaID)
            try audit(db, "relay-schedule.create", target: "\(id)",
                      details: ["area": rule.areaID, "title": rule.title, "relay": rule.relayURL, "recurrence": rule.recurrence.name,
                                "at": "\(rule.timeOfDay.secondsSinceMidnight)", "duration": "\(rule.durationSeconds)"],
                      origin: origin)
            return try Self.requireRelaySchedule(db, id)
        }
    }

    public func relaySchedule(_ id: Int64) async throws(StoreError) -> RelaySchedule {
        try await read { db in try Self.requireRelaySchedule(db, id) }
    }

    public func allRelaySchedules() async throws(StoreError) -> [RelaySchedule] {
        try await read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM relay_schedule ORDER BY id").map { try Self.requireRelaySchedule(db, $0) }
        }
    }

    public func deleteRelaySchedule(_ id: Int64, origin: AuditOrigin) async throws(StoreError) {
        try await write { db in
            let rule = try Self.requireRelaySchedule(db, id)
            try db.execute(sql: "DELETE FROM relay_schedule WHERE id = ?", arguments: [id])
            try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: rule.areaID)
            try audit(db, "relay-schedule.delete", target: "\(id)", details: ["area": rule.areaID, "title": rule.title], origin: origin)
        }
    }

    public func relaySchedules(forGateway id: String) async throws(StoreError) -> [RelaySchedule] {
        try await read { db in
            _ = try Self.requireGateway(db, id)
            let ids = try Int64.fetchAll(db, sql: Self.gatewayAreaAndAboveSQL + """
                SELECT r.id FROM relay_schedule r WHERE r.area_id IN (SELECT id FROM up) ORDER BY r.id
                """, arguments: [id])
            return try ids.map { try Self.requireRelaySchedule(db, $0) }
        }
    }

    static func requireRelaySchedule(_ db: Database, _ id: Int64) throws -> RelaySchedule {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM relay_schedule WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(kind: "relay schedule", id: "\(id)")
        }
        let validTo: String? = row["valid_to"]
        guard let recurrence = ScheduleRule.Recurrence(name: row["recurrence"], weekdayMask: row["weekdays"]),
              let validFrom = LocalDate(row["valid_from"] as String),
              let onBusy = BusyPolicy(rawValue: row["on_busy"]), let onInterrupt = InterruptPolicy(rawValue: row["on_interrupt"]) else {
            throw StoreError.invalid(kind: "relay schedule", id: "\(id)", reason: "unknown recurrence, date or policy in the database")
        }
        return RelaySchedule(
            id: id, areaID: row["area_id"], title: row["title"], relayURL: row["relay_url"], recurrence: recurrence,
            timeOfDay: TimeOfDay(secondsSinceMidnight: row["time_of_day"]), validFrom: validFrom, validTo: validTo.flatMap { LocalDate($0) },
            durationSeconds: row["duration_seconds"], priority: UInt8(clamping: row["priority"] as Int), onBusy: onBusy,
            onInterrupt: onInterrupt, fallbackSHA256: row["fallback_sha256"], createdBy: row["created_by"])
    }
}
