import Foundation
import GRDB

extension ControllerDatabase: LiveStreamRepository {
    public func createLiveStream(_ new: NewLiveStream, origin: AuditOrigin) async throws(StoreError) -> LiveStream {
        let now = options.now().millisecondsSince1970
        return try await write { db in
            _ = try Self.requireArea(db, new.areaID)
            _ = try Self.requireUser(db, origin.actor)
            try db.execute(sql: """
                INSERT INTO live_stream (area_id, title, priority, on_busy, on_interrupt, state, created_by, created_at, source_key_sha256,
                                         relay_url, listen_key, capture_device, relay_schedule_id, window_start, program_item)
                VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [new.areaID, new.title, Int(new.priority), new.onBusy.rawValue, new.onInterrupt.rawValue,
                                 origin.actor, now, new.sourceKeySHA256, new.relayURL, new.listenKey, new.captureDevice,
                                 new.relayScheduleID, new.windowStart?.millisecondsSince1970, new.programItem])
            let id = db.lastInsertedRowID
            try audit(db, "live.create", target: "\(id)",
                      details: ["area": new.areaID, "title": new.title, "priority": "\(new.priority)", "relay": new.relayURL ?? "", "device": new.captureDevice ?? ""],
                      origin: origin)
            return try Self.requireLiveStream(db, id)
        }
    }

    public func liveStream(_ id: Int64) async throws(StoreError) -> LiveStream {
        try await read { db in try Self.requireLiveStream(db, id) }
    }

    public func liveStreams(endedLimit: Int) async throws(StoreError) -> [LiveStream] {
        try await read { db in
            let active = try Row.fetchAll(db, sql: "SELECT * FROM live_stream WHERE state <> 'ended' ORDER BY id DESC")
            let ended = try Row.fetchAll(db, sql: "SELECT * FROM live_stream WHERE state = 'ended' ORDER BY id DESC LIMIT ?",
                                         arguments: [max(0, endedLimit)])
            return try (active + ended).map(Self.liveStream(row:)).sorted { $0.id > $1.id }
        }
    }

    public func markLiveStreamOnAir(_ id: Int64, at: Date) async throws(StoreError) -> LiveStream {
        try await write { db in
            try db.execute(sql: "UPDATE live_stream SET state = 'on-air', started_at = ? WHERE id = ? AND state = 'waiting'",
                           arguments: [at.millisecondsSince1970, id])
            return try Self.requireLiveStream(db, id)
        }
    }

    public func endLiveStream(_ id: Int64, at: Date, reason: String, bytesReceived: Int64,
                              origin: AuditOrigin) async throws(StoreError) -> LiveStream {
        try await write { db in
            let old = try Self.requireLiveStream(db, id)
            guard old.state != .ended else { return old }
            try db.execute(sql: """
                UPDATE live_stream SET state = 'ended', ended_at = ?, end_reason = ?, bytes_received = ? WHERE id = ?
                """, arguments: [at.millisecondsSince1970, reason, max(0, bytesReceived), id])
            try audit(db, "live.end", target: "\(id)", details: ["reason": reason, "bytesReceived": "\(bytesReceived)"],
                      origin: origin)
            return try Self.requireLiveStream(db, id)
        }
    }

    public func endAbandonedLiveStreams(at: Date, reason: String) async throws(StoreError) -> [Int64] {
        try await write { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM live_stream WHERE state <> 'ended' ORDER BY id")
            for id in ids {
                try db.execute(sql: "UPDATE live_stream SET state = 'ended', ended_at = ?, end_reason = ? WHERE id = ?",
                               arguments: [at.millisecondsSince1970, reason, id])
                try audit(db, "live.end", target: "\(id)", details: ["reason": reason], origin: .controller)
            }
            return ids
        }
    }

    static func requireLiveStream(_ db: Database, _ id: Int64) throws -> LiveStream {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM live_stream WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound(kind: "live stream", id: "\(id)")
        }
        return try liveStream(row: row)
    }

    static func liveStream(row: Row) throws -> LiveStream {
        let id: Int64 = row["id"]
        let startedAt: Int64? = row["started_at"]
        let endedAt: Int64? = row["ended_at"]
        guard let onBusy = BusyPolicy(rawValue: row["on_busy"]), let onInterrupt = InterruptPolicy(rawValue: row["on_interrupt"]),
              let state = LiveStream.State(rawValue: row["state"]) else {
            throw StoreError.invalid(kind: "live stream", id: "\(id)", reason: "unknown policy or state in the database")
        }
        return LiveStream(
            id: id, areaID: row["area_id"], title: row["title"], priority: UInt8(clamping: row["priority"] as Int),
            onBusy: onBusy, onInterrupt: onInterrupt, state: state, createdBy: row["created_by"],
            createdAt: .init(millisecondsSince1970: row["created_at"]), startedAt: startedAt.map(Date.init(millisecondsSince1970:)),
            endedAt: endedAt.map(Date.init(millisecondsSince1970:)), endReason: row["end_reason"],
            sourceKeySHA256: row["source_key_sha256"], bytesReceived: row["bytes_received"], relayURL: row["relay_url"],
            listenKey: row["listen_key"], captureDevice: row["capture_device"], relayScheduleID: row["relay_schedule_id"],
            windowStart: (row["window_start"] as Int64?).map(Date.init(millisecondsSince1970:)), programItem: row["program_item"])
    }
}
