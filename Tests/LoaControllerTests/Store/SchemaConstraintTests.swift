import Testing
@testable import LoaController
import LoaSchedule

/// The schema refuses bad rows on its own, whatever code writes them.
@Suite struct SchemaConstraintTests {
    struct BadRow: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        var testDescription: String { name }
    }

    static let hash = String(repeating: "ab", count: 32)
    static let badRows: [BadRow] = [
        BadRow(name: "unknown area kind", sql: "INSERT INTO area VALUES ('x', 'x', 'village', 'cam-xuyen')"),
        BadRow(name: "district without parent", sql: "INSERT INTO area VALUES ('x', 'x', 'district', NULL)"),
        BadRow(name: "area kind change", sql: "UPDATE area SET kind = 'district' WHERE id = 'xa-tan-lap'"),
        BadRow(name: "gateway id with capitals", sql: "UPDATE gateway SET id = 'XA-01' WHERE id = 'xa-tan-lap-01'"),
        BadRow(name: "gateway in a district", sql: "UPDATE gateway SET area_id = 'cam-xuyen' WHERE id = 'xa-tan-lap-01'"),
        BadRow(name: "gateway in a missing area", sql: "UPDATE gateway SET area_id = 'nowhere' WHERE id = 'xa-tan-lap-01'"),
        BadRow(name: "latitude out of range", sql: "UPDATE gateway SET latitude = 91, longitude = 0"),
        BadRow(name: "latitude without longitude", sql: "UPDATE gateway SET latitude = 18"),
        BadRow(name: "unknown role", sql: "UPDATE user_account SET role = 'root'"),
        BadRow(name: "password in clear", sql: "UPDATE user_account SET password_hash = 'correct horse'"),
        BadRow(name: "uppercase hash", sql: "UPDATE bulletin SET sha256 = upper(sha256)"),
        BadRow(name: "approved without approver", sql: """
            INSERT INTO bulletin (sha256, title, duration_ms, loudness_lufs, byte_size, state, created_by, created_at)
            VALUES ('\(hash)', 't', 1, -16, 1, 'approved', 'admin', 1)
            """),
        BadRow(name: "approver without approval time", sql: "UPDATE bulletin SET approved_at = NULL"),
        BadRow(name: "archived to draft", sql: "UPDATE bulletin SET state = 'archived', archived_at = 1; UPDATE bulletin SET state = 'draft', archived_at = NULL"),
        BadRow(name: "priority 256", sql: "UPDATE schedule_entry SET priority = 256"),
        BadRow(name: "weekly without weekdays", sql: "UPDATE schedule_entry SET recurrence = 'weekly', weekdays = 0"),
        BadRow(name: "daily with weekdays", sql: "UPDATE schedule_entry SET weekdays = 3"),
        BadRow(name: "30 February", sql: "UPDATE schedule_entry SET valid_from = '2027-02-30'"),
        BadRow(name: "valid to before from", sql: "UPDATE schedule_entry SET valid_to = '2000-01-01'"),
        BadRow(name: "time of day 24:00", sql: "UPDATE schedule_entry SET time_of_day = 86400"),
        BadRow(name: "unknown busy policy", sql: "UPDATE schedule_entry SET on_busy = 'shout'"),
        BadRow(name: "zero repeats", sql: "UPDATE schedule_entry SET repeat_count = 0"),
        BadRow(name: "schedule on a missing bulletin", sql: "UPDATE schedule_entry SET bulletin_sha256 = '\(hash)'"),
        BadRow(name: "announcement with both contents", sql: "UPDATE announcement SET content_sha256 = '\(hash)'"),
        BadRow(name: "announcement expiring before start", sql: "UPDATE announcement SET expires_at = start_at"),
        BadRow(name: "duplicate event id", sql: "INSERT INTO play_event (event_id, gateway_id, item_id, kind, at, received_at) SELECT event_id, gateway_id, 'i', 'started', 1, 1 FROM play_event"),
        BadRow(name: "unknown play kind", sql: "UPDATE play_event SET kind = 'paused'"),
        BadRow(name: "negative position", sql: "UPDATE play_event SET position_ms = -1"),
        BadRow(name: "health report not JSON", sql: "UPDATE health_latest SET report = 'ok'"),
        BadRow(name: "audit details not an object", sql: "INSERT INTO audit_entry (at, actor, action, target, details) VALUES (1, 'a', 'b', 'c', '[1]')"),
    ]

    @Test(arguments: badRows)
    func refused(_ bad: BadRow) async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        _ = try await f.database.createScheduleEntry(ScheduleRule(
            bulletinSHA256: StoreFixture.hash(1), target: BroadcastTarget(areaIDs: ["xa-tan-lap"]), recurrence: .daily,
            timeOfDay: TimeOfDay(hour: 6, minute: 0), validFrom: LocalDate(year: 2026, month: 12, day: 1)), origin: f.admin)
        _ = try await f.database.createAnnouncement(NewAnnouncement(
            content: .bulletin(sha256: StoreFixture.hash(1)), target: BroadcastTarget(areaIDs: ["ha-tinh"]), priority: 200,
            startAt: f.clock.now, expiresAt: f.clock.now.addingTimeInterval(60)), origin: f.admin)
        try await f.database.recordPlayEvents([PlayLogEntry(
            eventID: "e1", gatewayID: "xa-tan-lap-01", itemID: "i", bulletinSHA256: nil, kind: .started, at: f.clock.now)])
        try await f.database.recordHealth(HealthSample(gatewayID: "xa-tan-lap-01", at: f.clock.now, report: .init("{}".utf8)))
        await #expect(throws: StoreError.self) {
            try await f.database.write { db in try db.execute(sql: bad.sql) }
        }
    }
}
