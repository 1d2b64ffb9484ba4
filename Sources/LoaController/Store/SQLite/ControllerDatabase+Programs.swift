import Foundation
import GRDB
import LoaSchedule

extension ControllerDatabase: ProgramRepository {
    public func createProgram(_ program: Program, origin: AuditOrigin) async throws(StoreError) -> Program {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            _ = try Self.requireArea(db, program.areaID)
            _ = try Self.requireUser(db, origin.actor)
            try Self.checkProgramBulletins(db, program, id: "new")
            try db.execute(sql: """
                INSERT INTO program (area_id, name, recurrence, weekdays, time_of_day, valid_from, valid_to, planned_seconds,
                    overrun, priority, on_busy, on_interrupt, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: Self.programArguments(program) + [origin.actor, now, now])
            let id = db.lastInsertedRowID
            try Self.insertProgramItems(db, program.items, id: id)
            try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: program.areaID)
            try audit(db, "program.create", target: "\(id)", details: Self.programDetails(program), origin: origin)
            return try Self.requireProgram(db, id)
        }
    }

    public func program(_ id: Int64) async throws(StoreError) -> Program {
        try await read { db in try Self.requireProgram(db, id) }
    }

    public func allPrograms() async throws(StoreError) -> [Program] {
        try await read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM program ORDER BY id").map { try Self.requireProgram(db, $0) }
        }
    }

    public func programsWithRelays() async throws(StoreError) -> [Program] {
        try await read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT program_id FROM program_item WHERE kind = 'relay' ORDER BY 1")
                .map { try Self.requireProgram(db, $0) }
        }
    }

    public func updateProgram(_ id: Int64, _ program: Program, origin: AuditOrigin) async throws(StoreError) -> Program {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            let old = try Self.requireProgram(db, id)
            _ = try Self.requireArea(db, program.areaID)
            try Self.checkProgramBulletins(db, program, id: "\(id)")
            try db.execute(sql: """
                UPDATE program SET area_id = ?, name = ?, recurrence = ?, weekdays = ?, time_of_day = ?, valid_from = ?, valid_to = ?,
                    planned_seconds = ?, overrun = ?, priority = ?, on_busy = ?, on_interrupt = ?, updated_at = ?,
                    cutover_date = ?, cutover_after = ?, cutover_resume_ms = ?, cutover_target = ?
                WHERE id = ?
                """, arguments: Self.programArguments(program)
                    + [now, program.cutover?.date.description, program.cutover?.afterPosition, program.cutover?.resumeAtMs,
                       program.cutover?.onAirTarget, id])
            try db.execute(sql: "DELETE FROM program_item WHERE program_id = ?", arguments: [id])
            try Self.insertProgramItems(db, program.items, id: id)
            try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: old.areaID)
            if old.areaID != program.areaID { try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: program.areaID) }
            try audit(db, "program.update", target: "\(id)", details: Self.programDetails(program), origin: origin)
            return try Self.requireProgram(db, id)
        }
    }

    public func deleteProgram(_ id: Int64, origin: AuditOrigin) async throws(StoreError) {
        try await write { db in
            let program = try Self.requireProgram(db, id)
            try db.execute(sql: "DELETE FROM program WHERE id = ?", arguments: [id])
            try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: program.areaID)
            try audit(db, "program.delete", target: "\(id)", details: ["area": program.areaID, "name": program.name], origin: origin)
        }
    }

    public func programs(forGateway id: String) async throws(StoreError) -> [Program] {
        try await read { db in
            _ = try Self.requireGateway(db, id)
            let ids = try Int64.fetchAll(db, sql: Self.gatewayAreaAndAboveSQL + """
                SELECT p.id FROM program p WHERE p.area_id IN (SELECT id FROM up) ORDER BY p.id
                """, arguments: [id])
            return try ids.map { try Self.requireProgram(db, $0) }
        }
    }

    public func programs(playing sha256: String) async throws(StoreError) -> [Program] {
        try await read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT program_id FROM program_item WHERE bulletin_sha256 = ? ORDER BY 1",
                               arguments: [sha256]).map { try Self.requireProgram(db, $0) }
        }
    }

    // MARK: Helpers inside a transaction

    /// Every bulletin the program names exists and is approved, now, in this transaction.
    static func checkProgramBulletins(_ db: Database, _ program: Program, id: String) throws {
        for (index, item) in program.items.enumerated() {
            for sha256 in item.bulletinsNamed {
                guard let bulletin = try findBulletin(db, sha256) else {
                    throw StoreError.invalid(kind: "program", id: id,
                                             reason: "item \(index + 1): bulletin \(sha256.prefix(8))… does not exist (deleted, or never uploaded)")
                }
                guard bulletin.state == .approved else {
                    throw StoreError.invalid(kind: "program", id: id,
                                             reason: "item \(index + 1): bulletin \(sha256.prefix(8))… ('\(bulletin.title)') is \(bulletin.state.rawValue); a program plays approved bulletins only")
                }
            }
        }
    }

    static func programArguments(_ program: Program) -> StatementArguments {
        [program.areaID, program.name, program.recurrence.name, program.recurrence.weekdayMask, program.timeOfDay.secondsSinceMidnight,
         program.validFrom.description, program.validTo?.description, program.plannedSeconds, program.overrun.rawValue,
         Int(program.priority), program.onBusy.rawValue, program.onInterrupt.rawValue]
    }

    static func insertProgramItems(_ db: Database, _ items: [Program.Item], id: Int64) throws {
        for (index, item) in items.enumerated() {
            var pause: Int?
            var relay: ProgramRelay?
            switch item {
            case .pause(let seconds): pause = seconds
            case .relay(let r): relay = r
            case .bulletin, .jingle: break
            }
            try db.execute(sql: """
                INSERT INTO program_item (program_id, position, kind, bulletin_sha256, pause_seconds, relay_url, relay_title, relay_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, index + 1, item.kind, item.bulletinsNamed.first, pause, relay?.url, relay?.title, relay?.seconds])
        }
    }

    static func programDetails(_ program: Program) -> [String: String] {
        ["area": program.areaID, "name": program.name, "recurrence": program.recurrence.name,
         "at": "\(program.timeOfDay.secondsSinceMidnight)", "items": program.items.map { $0.sha256.map { String($0.prefix(8)) } ?? $0.kind }.joined(separator: ",")]
    }

    static func cutover(_ row: Row) -> ProgramCutover? {
        guard let text: String = row["cutover_date"], let date = LocalDate(text), let after: Int = row["cutover_after"],
              let resume: Int64 = row["cutover_resume_ms"] else { return nil }
        return ProgramCutover(date: date, afterPosition: after, resumeAtMs: resume, onAirTarget: row["cutover_target"])
    }

    static func requireProgram(_ db: Database, _ id: Int64) throws -> Program {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM program WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(kind: "program", id: "\(id)")
        }
        let validTo: String? = row["valid_to"]
        guard let recurrence = ScheduleRule.Recurrence(name: row["recurrence"], weekdayMask: row["weekdays"]),
              let validFrom = LocalDate(row["valid_from"] as String), let overrun = Program.Overrun(rawValue: row["overrun"]),
              let onBusy = BusyPolicy(rawValue: row["on_busy"]), let onInterrupt = InterruptPolicy(rawValue: row["on_interrupt"]) else {
            throw StoreError.invalid(kind: "program", id: "\(id)", reason: "unknown recurrence, date, overrun or policy in the database")
        }
        let items = try Row.fetchAll(db, sql: "SELECT * FROM program_item WHERE program_id = ? ORDER BY position", arguments: [id])
            .map { row throws -> Program.Item in
                let kind: String = row["kind"]
                switch kind {
                case "bulletin": return .bulletin(sha256: row["bulletin_sha256"])
                case "jingle": return .jingle(sha256: row["bulletin_sha256"])
                case "relay":
                    return .relay(ProgramRelay(url: row["relay_url"], title: row["relay_title"], seconds: row["relay_seconds"],
                                               fallbackSHA256: row["bulletin_sha256"]))
                default: return .pause(seconds: row["pause_seconds"])
                }
            }
        return Program(
            id: id, areaID: row["area_id"], name: row["name"], recurrence: recurrence,
            timeOfDay: TimeOfDay(secondsSinceMidnight: row["time_of_day"]), validFrom: validFrom, validTo: validTo.flatMap { LocalDate($0) },
            plannedSeconds: row["planned_seconds"], overrun: overrun, priority: UInt8(clamping: row["priority"] as Int), onBusy: onBusy,
            onInterrupt: onInterrupt, items: items, createdBy: row["created_by"],
            updatedAt: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64) / 1000),
            cutover: Self.cutover(row))
    }
}
