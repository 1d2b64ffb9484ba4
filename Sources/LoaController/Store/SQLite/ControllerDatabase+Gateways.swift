import Foundation
import GRDB

extension ControllerDatabase: GatewayRepository {
    public func createGateway(
        id: String, name: String, areaID: String, location: Gateway.Location?, origin: AuditOrigin
    ) async throws(StoreError) -> GatewayRegistration {
        try Identifier.check(id, .gateway)
        try Identifier.checkText(name, field: "name", kind: .gateway, id: id)
        let secret = GatewaySecret.random()
        let sealed = try vault.seal(secret, gatewayID: id)
        let now = options.now()
        let gateway = try await write { db in
            if try Self.findGateway(db, id) != nil { throw StoreError.alreadyExists(kind: "gateway", id: id) }
            try Self.requireCommune(db, areaID, for: id)
            try db.execute(sql: """
                INSERT INTO gateway (id, name, area_id, latitude, longitude, created_at, secret_sealed)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, name, areaID, location?.latitude, location?.longitude, now.millisecondsSince1970, sealed])
            try audit(db, "gateway.create", target: id, details: ["name": name, "area": areaID], origin: origin)
            return try Self.requireGateway(db, id)
        }
        return GatewayRegistration(gateway: gateway, secret: secret)
    }

    public func gateway(_ id: String) async throws(StoreError) -> Gateway {
        try await read { db in try Self.requireGateway(db, id) }
    }

    public func allGateways() async throws(StoreError) -> [Gateway] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM gateway ORDER BY id").map(Gateway.init(row:)) }
    }

    public func gateways(inSubtreeOf areaID: String) async throws(StoreError) -> [Gateway] {
        try await read { db in
            _ = try Self.requireArea(db, areaID)
            return try Row.fetchAll(db, sql: """
                WITH RECURSIVE sub(id) AS (
                    SELECT ? UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id)
                SELECT gateway.* FROM sub JOIN gateway ON gateway.area_id = sub.id ORDER BY gateway.id
                """, arguments: [areaID]).map(Gateway.init(row:))
        }
    }

    public func updateGateway(
        _ id: String, name: String, areaID: String, location: Gateway.Location?, origin: AuditOrigin
    ) async throws(StoreError) -> Gateway {
        try Identifier.checkText(name, field: "name", kind: .gateway, id: id)
        return try await write { db in
            let old = try Self.requireGateway(db, id)
            try Self.requireCommune(db, areaID, for: id)
            try db.execute(
                sql: "UPDATE gateway SET name = ?, area_id = ?, latitude = ?, longitude = ? WHERE id = ?",
                arguments: [name, areaID, location?.latitude, location?.longitude, id]
            )
            var details = ["name": name]
            if old.areaID != areaID {
                details["area"] = areaID
                try db.execute(sql: "UPDATE gateway SET schedule_version = schedule_version + 1 WHERE id = ?", arguments: [id])
            }
            try audit(db, "gateway.update", target: id, details: details, origin: origin)
            return try Self.requireGateway(db, id)
        }
    }

    public func rotateGatewaySecret(_ id: String, origin: AuditOrigin) async throws(StoreError) -> GatewaySecret {
        let secret = GatewaySecret.random()
        let sealed = try vault.seal(secret, gatewayID: id)
        try await write { db in
            _ = try Self.requireGateway(db, id)
            try db.execute(sql: "UPDATE gateway SET secret_sealed = ? WHERE id = ?", arguments: [sealed, id])
            try audit(db, "gateway.rotate-secret", target: id, origin: origin)
        }
        return secret
    }

    public func handshakeSecret(for id: String) async throws(StoreError) -> GatewaySecret {
        let sealed = try await read { db in
            guard let sealed = try Data.fetchOne(db, sql: "SELECT secret_sealed FROM gateway WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(kind: "gateway", id: id)
            }
            return sealed
        }
        return try vault.open(sealed, gatewayID: id)
    }

    public func allHandshakeSecrets() async throws(StoreError) -> [String: GatewaySecret] {
        let rows = try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, secret_sealed FROM gateway").map { row in (row["id"] as String, row["secret_sealed"] as Data) }
        }
        var secrets: [String: GatewaySecret] = [:]
        for (id, sealed) in rows { secrets[id] = try vault.open(sealed, gatewayID: id) }
        return secrets
    }

    public func markGatewaySeen(_ id: String, at: Date) async throws(StoreError) {
        try await write { db in try Self.markSeen(db, id, at: at.millisecondsSince1970) }
    }

    /// Last seen at `at`, the open presence span extended; inside a transaction.
    static func markSeen(_ db: Database, _ id: String, at: Int64) throws {
        try db.execute(sql: "UPDATE gateway SET last_seen_at = max(coalesce(last_seen_at, 0), ?) WHERE id = ?", arguments: [at, id])
        if db.changesCount == 0 { throw StoreError.notFound(kind: "gateway", id: id) }
        try extendPresence(db, id, at: at)
    }

    public func markGatewaysSeen(_ ids: [String], at: Date) async throws(StoreError) {
        try await write { db in
            let statement = try db.makeStatement(
                sql: "UPDATE gateway SET last_seen_at = max(coalesce(last_seen_at, 0), ?) WHERE id = ?")
            for id in ids {
                try statement.execute(arguments: [at.millisecondsSince1970, id])
                try Self.closePresence(db, id, at: at.millisecondsSince1970)
            }
        }
    }

    // MARK: Helpers inside a transaction

    static func findGateway(_ db: Database, _ id: String) throws -> Gateway? {
        try Row.fetchOne(db, sql: "SELECT * FROM gateway WHERE id = ?", arguments: [id]).map(Gateway.init(row:))
    }

    static func requireGateway(_ db: Database, _ id: String) throws -> Gateway {
        guard let gateway = try findGateway(db, id) else { throw StoreError.notFound(kind: "gateway", id: id) }
        return gateway
    }

    private static func requireCommune(_ db: Database, _ areaID: String, for gatewayID: String) throws {
        let area = try requireArea(db, areaID)
        guard area.kind == .commune else {
            throw StoreError.mismatch(kind: "gateway", id: gatewayID,
                                      reason: "'\(areaID)' is a \(area.kind.rawValue); a gateway belongs to a commune")
        }
    }
}
