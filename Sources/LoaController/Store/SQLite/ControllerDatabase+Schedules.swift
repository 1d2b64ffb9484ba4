import GRDB
import LoaSchedule

extension ControllerDatabase: ScheduleRepository {
    public func createScheduleEntry(_ rule: ScheduleRule, origin: AuditOrigin) async throws(StoreError) -> ScheduleEntry {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            try Self.checkRule(db, rule, id: "new")
            _ = try Self.requireUser(db, origin.actor)
            try db.execute(sql: """
                INSERT INTO schedule_entry (bulletin_sha256, recurrence, weekdays, time_of_day, valid_from, valid_to,
                    priority, repeat_count, on_busy, on_interrupt, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: Self.ruleArguments(rule) + [origin.actor, now])
            let id = db.lastInsertedRowID
            try Self.insertTargets(db, rule.target, owner: "schedule", id: id)
            try Self.bumpScheduleVersions(db, gatewayIDs: Self.gatewaysReached(db, entriesSQL: "SELECT ?", arguments: [id]))
            try audit(db, "schedule.create", target: "\(id)", details: Self.ruleDetails(rule), origin: origin)
            return try Self.requireScheduleEntry(db, id)
        }
    }

    public func scheduleEntry(_ id: Int64) async throws(StoreError) -> ScheduleEntry {
        try await read { db in try Self.requireScheduleEntry(db, id) }
    }

    public func allScheduleEntries() async throws(StoreError) -> [ScheduleEntry] {
        try await read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM schedule_entry ORDER BY id").map { try Self.requireScheduleEntry(db, $0) }
        }
    }

    public func updateScheduleEntry(_ id: Int64, rule: ScheduleRule, origin: AuditOrigin) async throws(StoreError) -> ScheduleEntry {
        try await write { db in
            _ = try Self.requireScheduleEntry(db, id)
            try Self.checkRule(db, rule, id: "\(id)")
            let before = try Self.gatewaysReached(db, entriesSQL: "SELECT ?", arguments: [id])
            try db.execute(sql: """
                UPDATE schedule_entry SET bulletin_sha256 = ?, recurrence = ?, weekdays = ?, time_of_day = ?, valid_from = ?,
                    valid_to = ?, priority = ?, repeat_count = ?, on_busy = ?, on_interrupt = ?
                WHERE id = ?
                """, arguments: Self.ruleArguments(rule) + [id])
            try db.execute(sql: "DELETE FROM schedule_area WHERE schedule_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM schedule_gateway WHERE schedule_id = ?", arguments: [id])
            try Self.insertTargets(db, rule.target, owner: "schedule", id: id)
            let after = try Self.gatewaysReached(db, entriesSQL: "SELECT ?", arguments: [id])
            try Self.bumpScheduleVersions(db, gatewayIDs: before + after)
            try audit(db, "schedule.update", target: "\(id)", details: Self.ruleDetails(rule), origin: origin)
            return try Self.requireScheduleEntry(db, id)
        }
    }

    public func deleteScheduleEntry(_ id: Int64, origin: AuditOrigin) async throws(StoreError) {
        try await write { db in
            let entry = try Self.requireScheduleEntry(db, id)
            let reached = try Self.gatewaysReached(db, entriesSQL: "SELECT ?", arguments: [id])
            try db.execute(sql: "DELETE FROM schedule_entry WHERE id = ?", arguments: [id])
            try Self.bumpScheduleVersions(db, gatewayIDs: reached)
            try audit(db, "schedule.delete", target: "\(id)", details: Self.ruleDetails(entry.rule), origin: origin)
        }
    }

    public func scheduleEntries(forGateway id: String, approvedOnly: Bool) async throws(StoreError) -> [ScheduleEntry] {
        try await read { db in
            _ = try Self.requireGateway(db, id)
            let ids = try Int64.fetchAll(db, sql: Self.gatewayAreaAndAboveSQL + """
                SELECT s.id FROM schedule_entry s JOIN bulletin b ON b.sha256 = s.bulletin_sha256
                WHERE (NOT ?2 OR b.state = 'approved') AND s.id IN (
                    SELECT schedule_id FROM schedule_area WHERE area_id IN (SELECT id FROM up)
                    UNION SELECT schedule_id FROM schedule_gateway WHERE gateway_id = ?1)
                ORDER BY s.id
                """, arguments: [id, approvedOnly])
            return try ids.map { try Self.requireScheduleEntry(db, $0) }
        }
    }

    // MARK: Helpers inside a transaction

    static func requireScheduleEntry(_ db: Database, _ id: Int64) throws -> ScheduleEntry {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM schedule_entry WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(kind: "schedule entry", id: "\(id)")
        }
        let rule = ScheduleRule(
            bulletinSHA256: row["bulletin_sha256"], target: try targets(db, owner: "schedule", id: id),
            recurrence: .init(name: row["recurrence"], weekdayMask: row["weekdays"]) ?? .once,
            timeOfDay: TimeOfDay(secondsSinceMidnight: row["time_of_day"]),
            validFrom: LocalDate(row["valid_from"] as String) ?? LocalDate(year: 1970, month: 1, day: 1),
            validTo: (row["valid_to"] as String?).flatMap(LocalDate.init),
            priority: UInt8(clamping: row["priority"] as Int), repeatCount: row["repeat_count"],
            onBusy: BusyPolicy(rawValue: row["on_busy"]) ?? .queue,
            onInterrupt: InterruptPolicy(rawValue: row["on_interrupt"]) ?? .resume
        )
        return ScheduleEntry(id: id, rule: rule, createdBy: row["created_by"],
                             createdAt: .init(millisecondsSince1970: row["created_at"]))
    }

    private static func checkRule(_ db: Database, _ rule: ScheduleRule, id: String) throws {
        func refuse(_ reason: String) -> StoreError { .invalid(kind: "schedule entry", id: id, reason: reason) }
        let bulletin = try requireBulletin(db, rule.bulletinSHA256)
        if bulletin.state == .archived { throw refuse("bulletin \(rule.bulletinSHA256.prefix(4))… is archived") }
        if case let .weekly(days) = rule.recurrence, days.isEmpty || !days.allSatisfy((1...7).contains) {
            throw refuse("a weekly entry needs weekdays between 1 (Monday) and 7 (Sunday)")
        }
        for date in [rule.validFrom] + (rule.validTo.map { [$0] } ?? []) where !date.isValid {
            throw refuse("\(date) is not a calendar date")
        }
        if !(0..<86_400).contains(rule.timeOfDay.secondsSinceMidnight) { throw refuse("the time of day is out of range") }
        if let to = rule.validTo, to < rule.validFrom { throw refuse("valid to \(to) is before valid from \(rule.validFrom)") }
        let repeats = LoaSchedule.ScheduleEntry.repeatCountLimit
        if !repeats.contains(rule.repeatCount) {
            throw refuse("the repeat count must be between \(repeats.lowerBound) and \(repeats.upperBound)")
        }
        try checkTarget(db, rule.target, kind: "schedule entry", id: id)
    }

    private static func ruleArguments(_ rule: ScheduleRule) -> StatementArguments {
        [rule.bulletinSHA256, rule.recurrence.name, rule.recurrence.weekdayMask, rule.timeOfDay.secondsSinceMidnight,
         rule.validFrom.description, rule.validTo?.description, Int(rule.priority), rule.repeatCount,
         rule.onBusy.rawValue, rule.onInterrupt.rawValue]
    }

    private static func ruleDetails(_ rule: ScheduleRule) -> [String: String] {
        ["bulletin": rule.bulletinSHA256, "recurrence": rule.recurrence.name,
         "areas": rule.target.normalised.areaIDs.joined(separator: ","),
         "gateways": rule.target.normalised.gatewayIDs.joined(separator: ",")]
    }
}
