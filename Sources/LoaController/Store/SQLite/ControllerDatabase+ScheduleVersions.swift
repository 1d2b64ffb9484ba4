import GRDB

/// Which gateways a change touches, found through the area tree (`area_parent`) and the
/// gateway-by-area index (`gateway_area`) rather than by scanning every gateway.
extension ControllerDatabase {
    public func gatewaysAffected(byChangeToArea areaID: String) async throws(StoreError) -> [String] {
        try await read { db in
            _ = try Self.requireArea(db, areaID)
            return try String.fetchAll(db, sql: "\(Self.subtreeGatewaysSQL) ORDER BY 1", arguments: [areaID])
        }
    }

    /// `WITH RECURSIVE sub …` from one area id argument to the ids of the gateways below it.
    static let subtreeGatewaysSQL = """
        WITH RECURSIVE sub(id) AS (
            SELECT ? UNION SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id)
        SELECT g.id FROM sub JOIN gateway g ON g.area_id = sub.id
        """

    /// `WITH RECURSIVE up(id) …` from a gateway id (`?1`) to its area and every area above it:
    /// what a gateway hears is aimed at one of these.
    static let gatewayAreaAndAboveSQL = """
        WITH RECURSIVE up(id) AS (
            SELECT area_id FROM gateway WHERE id = ?1
            UNION SELECT a.parent_id FROM area a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)
        """

    /// Gateways a set of schedule entries reaches: those under its target areas and those it
    /// names, for the entries chosen by `entriesSQL` (a `SELECT id …`).
    static func gatewaysReached(_ db: Database, entriesSQL: String, arguments: StatementArguments) throws -> [String] {
        try String.fetchAll(db, sql: """
            WITH RECURSIVE sub(id) AS (
                SELECT area_id FROM schedule_area WHERE schedule_id IN (\(entriesSQL))
                UNION SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id)
            SELECT g.id FROM sub JOIN gateway g ON g.area_id = sub.id
            UNION SELECT gateway_id FROM schedule_gateway WHERE schedule_id IN (\(entriesSQL))
            ORDER BY 1
            """, arguments: arguments + arguments)
    }

    static func bumpScheduleVersions(_ db: Database, gatewaysInSubtreeOf areaID: String) throws {
        let ids = try String.fetchAll(db, sql: subtreeGatewaysSQL, arguments: [areaID])
        try bumpScheduleVersions(db, gatewayIDs: ids)
    }

    static func bumpScheduleVersions(_ db: Database, gatewayIDs: [String]) throws {
        for id in Set(gatewayIDs) {
            try db.execute(sql: "UPDATE gateway SET schedule_version = schedule_version + 1 WHERE id = ?", arguments: [id])
        }
    }
}
