import GRDB

extension ControllerDatabase: AreaRepository {
    public func createArea(_ area: Area, origin: AuditOrigin) async throws(StoreError) {
        try Identifier.check(area.id, .area)
        try Identifier.checkText(area.name, field: "name", kind: .area, id: area.id)
        try await write { db in
            if try Self.findArea(db, area.id) != nil { throw StoreError.alreadyExists(kind: "area", id: area.id) }
            try Self.checkParent(db, of: area)
            try db.execute(
                sql: "INSERT INTO area (id, name, kind, parent_id) VALUES (?, ?, ?, ?)",
                arguments: [area.id, area.name, area.kind.rawValue, area.parentID]
            )
            try audit(db, "area.create", target: area.id,
                      details: ["name": area.name, "kind": area.kind.rawValue, "parent": area.parentID ?? ""], origin: origin)
        }
    }

    public func area(_ id: String) async throws(StoreError) -> Area {
        try await read { db in try Self.requireArea(db, id) }
    }

    public func allAreas() async throws(StoreError) -> [Area] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM area ORDER BY CASE kind WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, id
                """).map(Area.init(row:))
        }
    }

    public func updateArea(_ area: Area, origin: AuditOrigin) async throws(StoreError) {
        try Identifier.checkText(area.name, field: "name", kind: .area, id: area.id)
        try await write { db in
            let old = try Self.requireArea(db, area.id)
            guard old.kind == area.kind else {
                throw StoreError.invalid(kind: "area", id: area.id, reason: "a \(old.kind.rawValue) cannot become a \(area.kind.rawValue)")
            }
            try Self.checkParent(db, of: area)
            try db.execute(sql: "UPDATE area SET name = ?, parent_id = ? WHERE id = ?",
                           arguments: [area.name, area.parentID, area.id])
            var details = ["name": area.name]
            if old.parentID != area.parentID {
                details["parent"] = area.parentID ?? ""
                try Self.bumpScheduleVersions(db, gatewaysInSubtreeOf: area.id)
            }
            try audit(db, "area.update", target: area.id, details: details, origin: origin)
        }
    }

    public func subtree(of id: String) async throws(StoreError) -> [Area] {
        try await read { db in
            _ = try Self.requireArea(db, id)
            return try Row.fetchAll(db, sql: """
                WITH RECURSIVE sub(id, depth) AS (
                    SELECT id, 0 FROM area WHERE id = ?
                    UNION ALL SELECT a.id, sub.depth + 1 FROM area a JOIN sub ON a.parent_id = sub.id)
                SELECT area.* FROM sub JOIN area ON area.id = sub.id ORDER BY sub.depth, area.id
                """, arguments: [id]).map(Area.init(row:))
        }
    }

    public func ancestors(of id: String) async throws(StoreError) -> [Area] {
        try await read { db in
            _ = try Self.requireArea(db, id)
            return try Row.fetchAll(db, sql: """
                WITH RECURSIVE up(id, depth) AS (
                    SELECT parent_id, 1 FROM area WHERE id = ? AND parent_id IS NOT NULL
                    UNION ALL SELECT a.parent_id, up.depth + 1 FROM area a JOIN up ON a.id = up.id
                    WHERE a.parent_id IS NOT NULL)
                SELECT area.* FROM up JOIN area ON area.id = up.id ORDER BY up.depth
                """, arguments: [id]).map(Area.init(row:))
        }
    }

    // MARK: Helpers inside a transaction

    static func findArea(_ db: Database, _ id: String) throws -> Area? {
        try Row.fetchOne(db, sql: "SELECT * FROM area WHERE id = ?", arguments: [id]).map(Area.init(row:))
    }

    static func requireArea(_ db: Database, _ id: String) throws -> Area {
        guard let area = try findArea(db, id) else { throw StoreError.notFound(kind: "area", id: id) }
        return area
    }

    /// The kinds are strictly ordered, so a valid parent can never create a cycle.
    private static func checkParent(_ db: Database, of area: Area) throws {
        guard let parentID = area.parentID else {
            guard area.kind == .province else {
                throw StoreError.invalid(kind: "area", id: area.id, reason: "a \(area.kind.rawValue) needs a parent area")
            }
            return
        }
        let parent = try requireArea(db, parentID)
        guard area.kind.allowedParents.contains(parent.kind) else {
            throw StoreError.invalid(kind: "area", id: area.id,
                                     reason: "a \(area.kind.rawValue) cannot sit under the \(parent.kind.rawValue) '\(parentID)'")
        }
    }
}
