import Foundation
import GRDB
import LoaSchedule

extension ControllerDatabase: DispatchRepository {
    public func createDispatch(_ dispatch: Dispatch, origin: AuditOrigin) async throws(StoreError) -> Dispatch {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            let id = try self.insertDispatch(db, dispatch, origin: origin, now: now)
            return try Self.requireDispatch(db, id)
        }
    }

    /// Stores a dispatch and its targets inside the caller's transaction; its id.
    func insertDispatch(_ db: Database, _ dispatch: Dispatch, origin: AuditOrigin, now: Int64) throws -> Int64 {
        _ = try Self.requireUser(db, origin.actor)
        let bulletin = try Self.requireBulletin(db, dispatch.bulletinSHA256)
        guard bulletin.state == .approved else {
            throw StoreError.invalid(kind: "dispatch", id: "new",
                                     reason: "bulletin \(bulletin.sha256.prefix(8))… is \(bulletin.state.rawValue); only an approved bulletin is sent down")
        }
        try db.execute(sql: """
            INSERT INTO dispatch (bulletin_sha256, class, sender, sender_area_id, note, program_id, repeat_count, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [dispatch.bulletinSHA256, dispatch.dispatchClass.rawValue, dispatch.sender, dispatch.senderAreaID,
                             dispatch.note, dispatch.programID, dispatch.repeatCount, now])
        let id = db.lastInsertedRowID
        for target in dispatch.targets {
            let area = try Self.requireArea(db, target.areaID)
            guard area.kind == .commune else {
                throw StoreError.invalid(kind: "dispatch", id: "new", reason: "area '\(area.id)' is a \(area.kind.rawValue); targets are communes")
            }
            try Self.insertTarget(db, target, dispatchID: id, actor: origin.actor, now: now)
            if let placement = target.placement { try Self.bumpProgramGateways(db, placement.programID) }
        }
        try audit(db, "dispatch.\(dispatch.dispatchClass.rawValue)", target: "\(id)",
                  details: ["bulletin": dispatch.bulletinSHA256, "communes": "\(dispatch.targets.count)",
                            "placed": "\(dispatch.targets.filter { $0.state == .placed }.count)"], origin: origin)
        return id
    }

    public func dispatch(_ id: Int64) async throws(StoreError) -> Dispatch {
        try await read { db in try Self.requireDispatch(db, id) }
    }

    public func allDispatches() async throws(StoreError) -> [Dispatch] {
        try await read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM dispatch ORDER BY id DESC").map { try Self.requireDispatch(db, $0) }
        }
    }

    public func dispatchTarget(_ id: Int64) async throws(StoreError) -> Dispatch.Target {
        try await read { db in try Self.requireTarget(db, id) }
    }

    public func updateDispatchTarget(_ id: Int64, from: Dispatch.Target.State, to state: Dispatch.Target.State, placement: Dispatch.Placement?,
                                     reason: String?, origin: AuditOrigin) async throws(StoreError) -> Dispatch.Target {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            let old = try Self.requireTarget(db, id)
            guard old.state == from else {
                throw StoreError.mismatch(kind: "dispatch target", id: "\(id)",
                                          reason: "it is \(old.state.rawValue) now (changed by \(old.updatedBy ?? "someone") meanwhile); look again")
            }
            if let placement { _ = try Self.requireProgram(db, placement.programID) }
            try db.execute(sql: """
                UPDATE dispatch_target SET state = ?, program_id = ?, occurrence_date = ?, position = ?, reason = ?, updated_by = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [state.rawValue, placement?.programID, placement?.date.description, placement?.position, reason,
                                 origin.actor, now, id])
            if let program = old.placement?.programID { try Self.bumpProgramGateways(db, program) }
            if let program = placement?.programID { try Self.bumpProgramGateways(db, program) }
            var details = ["from": old.state.rawValue, "to": state.rawValue]
            if let placement { details["program"] = "\(placement.programID)"; details["date"] = placement.date.description; details["position"] = "\(placement.position)" }
            if let reason { details["reason"] = reason }
            try audit(db, "dispatch.target", target: "\(id)", details: details, origin: origin)
            return try Self.requireTarget(db, id)
        }
    }

    public func insertions(program id: Int64, from: LocalDate) async throws(StoreError) -> [ProgramInsertion] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.id, d.bulletin_sha256, t.program_id, t.occurrence_date, t.position
                FROM dispatch_target t JOIN dispatch d ON d.id = t.dispatch_id
                WHERE t.state = 'placed' AND t.program_id = ? AND t.occurrence_date >= ? ORDER BY t.id
                """, arguments: [id, from.description]).compactMap { row in
                guard let date = LocalDate(row["occurrence_date"] as String) else { return nil }
                return ProgramInsertion(targetID: row["id"], sha256: row["bulletin_sha256"],
                                        placement: Dispatch.Placement(programID: row["program_id"], date: date, position: row["position"]))
            }
        }
    }

    // MARK: Helpers inside a transaction

    static func insertTarget(_ db: Database, _ target: Dispatch.Target, dispatchID: Int64, actor: String, now: Int64) throws {
        try db.execute(sql: """
            INSERT INTO dispatch_target (dispatch_id, area_id, state, program_id, occurrence_date, position, reason, updated_by, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [dispatchID, target.areaID, target.state.rawValue, target.placement?.programID,
                             target.placement?.date.description, target.placement?.position, target.reason, actor, now])
    }

    static func bumpProgramGateways(_ db: Database, _ programID: Int64) throws {
        guard let area = try String.fetchOne(db, sql: "SELECT area_id FROM program WHERE id = ?", arguments: [programID]) else { return }
        try bumpScheduleVersions(db, gatewaysInSubtreeOf: area)
    }

    static func requireTarget(_ db: Database, _ id: Int64) throws -> Dispatch.Target {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM dispatch_target WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(kind: "dispatch target", id: "\(id)")
        }
        return try target(row)
    }

    static func target(_ row: Row) throws -> Dispatch.Target {
        let id: Int64 = row["id"]
        guard let state = Dispatch.Target.State(rawValue: row["state"]) else {
            throw StoreError.invalid(kind: "dispatch target", id: "\(id)", reason: "unknown state in the database")
        }
        var placement: Dispatch.Placement?
        if let program: Int64 = row["program_id"], let text: String = row["occurrence_date"], let date = LocalDate(text),
           let position: Int = row["position"] {
            placement = Dispatch.Placement(programID: program, date: date, position: position)
        }
        return Dispatch.Target(id: id, dispatchID: row["dispatch_id"], areaID: row["area_id"], state: state, placement: placement,
                               reason: row["reason"], updatedBy: row["updated_by"],
                               updatedAt: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64) / 1000))
    }

    static func requireDispatch(_ db: Database, _ id: Int64) throws -> Dispatch {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM dispatch WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(kind: "dispatch", id: "\(id)")
        }
        guard let kind = Dispatch.Class(rawValue: row["class"]) else {
            throw StoreError.invalid(kind: "dispatch", id: "\(id)", reason: "unknown class in the database")
        }
        let targets = try Row.fetchAll(db, sql: "SELECT * FROM dispatch_target WHERE dispatch_id = ? ORDER BY area_id", arguments: [id]).map(target)
        return Dispatch(id: id, bulletinSHA256: row["bulletin_sha256"], dispatchClass: kind, sender: row["sender"],
                        senderAreaID: row["sender_area_id"], note: row["note"], programID: row["program_id"],
                        repeatCount: row["repeat_count"],
                        createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64) / 1000), targets: targets)
    }
}
