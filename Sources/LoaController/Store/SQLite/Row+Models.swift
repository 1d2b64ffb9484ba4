import Foundation
import GRDB

/// Decoding of the store's value types from rows, kept out of the public model so that the
/// models carry no GRDB types.
extension Area {
    init(row: Row) {
        self.init(id: row["id"], name: row["name"], kind: Kind(rawValue: row["kind"]) ?? .commune, parentID: row["parent_id"])
    }
}

extension Gateway {
    init(row: Row) {
        let latitude: Double? = row["latitude"]
        let longitude: Double? = row["longitude"]
        let lastSeen: Int64? = row["last_seen_at"]
        self.init(
            id: row["id"], name: row["name"], areaID: row["area_id"],
            location: latitude.flatMap { lat in longitude.map { Location(latitude: lat, longitude: $0) } },
            createdAt: Date(millisecondsSince1970: row["created_at"]),
            lastSeenAt: lastSeen.map(Date.init(millisecondsSince1970:)),
            scheduleVersion: row["schedule_version"]
        )
    }
}

extension User {
    init(row: Row) {
        self.init(
            username: row["username"], role: Role(rawValue: row["role"]) ?? .broadcaster,
            areaID: row["area_id"], createdAt: Date(millisecondsSince1970: row["created_at"]),
            disabledAt: (row["disabled_at"] as Int64?).map(Date.init(millisecondsSince1970:))
        )
    }
}

extension Bulletin {
    init(row: Row) {
        let approvedAt: Int64? = row["approved_at"]
        let archivedAt: Int64? = row["archived_at"]
        self.init(
            sha256: row["sha256"], title: row["title"], durationMs: row["duration_ms"],
            loudnessLUFS: row["loudness_lufs"], byteSize: row["byte_size"],
            state: BulletinState(rawValue: row["state"]) ?? .draft,
            createdBy: row["created_by"], createdAt: Date(millisecondsSince1970: row["created_at"]),
            approvedBy: row["approved_by"], approvedAt: approvedAt.map(Date.init(millisecondsSince1970:)),
            archivedAt: archivedAt.map(Date.init(millisecondsSince1970:))
        )
    }
}

extension PlayLogEntry {
    init(row: Row) {
        self.init(
            eventID: row["event_id"], gatewayID: row["gateway_id"], itemID: row["item_id"],
            bulletinSHA256: row["bulletin_sha256"], kind: Kind(rawValue: row["kind"]) ?? .missed,
            at: Date(millisecondsSince1970: row["at"]), positionMs: row["position_ms"],
            detail: row["detail"], origin: Origin(rawValue: row["origin"]) ?? .gateway
        )
    }
}

extension HealthSample {
    init(row: Row) {
        let report: String = row["report"]
        self.init(gatewayID: row["gateway_id"], at: Date(millisecondsSince1970: row["at"]), report: Data(report.utf8))
    }
}

extension AuditEntry {
    init(row: Row) {
        self.init(
            sequence: row["seq"], at: Date(millisecondsSince1970: row["at"]), actor: row["actor"],
            action: row["action"], target: row["target"], address: row["address"],
            details: AuditEntry.decodeDetails(row["details"])
        )
    }
}
