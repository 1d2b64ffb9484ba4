import GRDB

/// The target tables shared by schedule entries and announcements:
/// `<owner>_area(<owner>_id, area_id)` and `<owner>_gateway(<owner>_id, gateway_id)`.
extension ControllerDatabase {
    static func checkTarget(_ db: Database, _ target: BroadcastTarget, kind: String, id: String) throws {
        guard !target.isEmpty else {
            throw StoreError.invalid(kind: kind, id: id, reason: "it needs at least one target area or gateway")
        }
        for areaID in target.areaIDs { _ = try requireArea(db, areaID) }
        for gatewayID in target.gatewayIDs { _ = try requireGateway(db, gatewayID) }
    }

    static func insertTargets(_ db: Database, _ target: BroadcastTarget, owner: String, id: Int64) throws {
        let target = target.normalised
        let ownerColumn = owner == "schedule" ? "schedule_id" : "\(owner)_id"
        for areaID in target.areaIDs {
            try db.execute(sql: "INSERT INTO \(owner)_area (\(ownerColumn), area_id) VALUES (?, ?)", arguments: [id, areaID])
        }
        for gatewayID in target.gatewayIDs {
            try db.execute(sql: "INSERT INTO \(owner)_gateway (\(ownerColumn), gateway_id) VALUES (?, ?)", arguments: [id, gatewayID])
        }
    }

    static func targets(_ db: Database, owner: String, id: Int64) throws -> BroadcastTarget {
        let ownerColumn = owner == "schedule" ? "schedule_id" : "\(owner)_id"
        return BroadcastTarget(
            areaIDs: try String.fetchAll(db, sql: "SELECT area_id FROM \(owner)_area WHERE \(ownerColumn) = ? ORDER BY 1", arguments: [id]),
            gatewayIDs: try String.fetchAll(db, sql: "SELECT gateway_id FROM \(owner)_gateway WHERE \(ownerColumn) = ? ORDER BY 1", arguments: [id])
        )
    }
}
