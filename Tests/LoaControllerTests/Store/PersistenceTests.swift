import Foundation
import GRDB
import Testing
@testable import LoaController
import LoaSchedule

@Suite struct PersistenceTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("loa-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func open() throws -> ControllerDatabase {
        try ControllerDatabase.open(
            path: directory.appendingPathComponent("controller.sqlite").path,
            vault: GatewaySecretVault(keyFile: directory.appendingPathComponent("secrets.key")),
            options: .init(passwordHasher: .fastForTests))
    }

    @Test func aFileDatabaseSurvivesCloseAndReopen() async throws {
        var secret: GatewaySecret?
        var entryID: Int64 = 0
        do {
            let db = try open()
            #expect(try await db.journalMode() == "wal")
            let f = StoreFixture(database: db, clock: TestClock())
            try await f.seed()
            secret = try await db.rotateGatewaySecret("xa-tan-lap-01", origin: f.admin)
            _ = try await f.approvedBulletin(1)
            entryID = try await db.createScheduleEntry(ScheduleRule(
                bulletinSHA256: StoreFixture.hash(1), target: BroadcastTarget(areaIDs: ["ha-tinh"]), recurrence: .once,
                timeOfDay: TimeOfDay(hour: 7, minute: 0), validFrom: LocalDate(year: 2026, month: 12, day: 24)), origin: f.admin).id
            try await db.recordPlayEvents([PlayLogEntry(eventID: "e1", gatewayID: "xa-tan-lap-01", itemID: "i", bulletinSHA256: nil,
                                                     kind: .missed, at: Date(timeIntervalSince1970: 1_780_000_000))])
            try await db.recordHealth(HealthSample(gatewayID: "xa-tan-lap-01", at: Date(timeIntervalSince1970: 1_780_000_000), report: Data("{}".utf8)))
        }
        let db = try open()
        #expect(try await db.subtree(of: "ha-tinh").count == 6)
        #expect(try await db.handshakeSecret(for: "xa-tan-lap-01") == secret)
        #expect(try await db.bulletin(StoreFixture.hash(1)).state == .approved)
        #expect(try await db.scheduleEntry(entryID).rule.recurrence == .once)
        #expect(try await db.playEvents(PlayEventQuery()).events.map(\.eventID) == ["e1"])
        #expect(try await db.latestHealth(of: "xa-tan-lap-01") != nil)
        #expect(try await db.verifyPassword(username: "admin", password: "correct horse") != nil)
        #expect(try await db.auditEntries(after: 0, limit: 1_000).count > 10)
    }

    @Test func aFileFromAnOlderVersionIsMigratedForward() async throws {
        let path = directory.appendingPathComponent("controller.sqlite").path
        do {
            // A controller that only knew the first migration left this file behind.
            let pool = try DatabasePool(path: path, configuration: ControllerDatabase.makeConfiguration())
            try ControllerDatabase.migrator.migrate(pool, upTo: "v1-areas-gateways-users")
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO area (id, name, kind) VALUES ('ha-tinh', 'Hà Tĩnh', 'province')")
            }
        }
        let db = try open()
        #expect(try await db.appliedMigrations().count == 16)
        #expect(try await db.area("ha-tinh").kind == .province)
        try await db.appendAudit(action: "test", target: "x", details: [:], origin: .controller)
    }

    /// v5 adds `detail` and `origin` to a play log that already holds events: they stay, as the gateway's.
    @Test func playEventsFromBeforeV5AreKeptAsTheGateways() async throws {
        let path = directory.appendingPathComponent("controller.sqlite").path
        do {
            // A gateway secret sealed with this directory's key, made in a scratch database.
            let scratch = try ControllerDatabase.open(
                path: directory.appendingPathComponent("scratch.sqlite").path,
                vault: GatewaySecretVault(keyFile: directory.appendingPathComponent("secrets.key")),
                options: .init(passwordHasher: .fastForTests))
            try await scratch.createArea(Area(id: "ha-tinh", name: "Hà Tĩnh", kind: .province), origin: .controller)
            try await scratch.createArea(Area(id: "xa", name: "Xã", kind: .commune, parentID: "ha-tinh"), origin: .controller)
            _ = try await scratch.createGateway(id: "gw-01", name: "gw", areaID: "xa", location: nil, origin: .controller)
            let scratchPool = try DatabasePool(path: directory.appendingPathComponent("scratch.sqlite").path,
                                               configuration: ControllerDatabase.makeConfiguration())
            let sealed = try await scratchPool.read { db in
                try Data.fetchOne(db, sql: "SELECT secret_sealed FROM gateway WHERE id = 'gw-01'")
            }
            let pool = try DatabasePool(path: path, configuration: ControllerDatabase.makeConfiguration())
            try ControllerDatabase.migrator.migrate(pool, upTo: "v4-bulletin-uploads")
            try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO area (id, name, kind) VALUES ('ha-tinh', 'Hà Tĩnh', 'province');
                    INSERT INTO area (id, name, kind, parent_id) VALUES ('xa', 'Xã', 'commune', 'ha-tinh');
                    """)
                try db.execute(sql: "INSERT INTO gateway (id, name, area_id, created_at, secret_sealed) VALUES ('gw-01', 'gw', 'xa', 0, ?)",
                               arguments: [sealed])
                try db.execute(sql: """
                    INSERT INTO play_event (event_id, gateway_id, item_id, kind, at, position_ms, received_at)
                        VALUES ('old-1', 'gw-01', 'sang@1#0', 'finished', 1000, 5000, 1001);
                    """)
            }
        }
        let db = try open()
        let events = try await db.playEvents(PlayEventQuery()).events
        #expect(events.map { "\($0.eventID) \($0.kind.rawValue) \($0.positionMs) \($0.detail ?? "-") \($0.origin.rawValue)" }
            == ["old-1 finished 5000 - gateway"])
        #expect(try await db.playOutcomes(PlayEventQuery()).outcomes.map(\.outcome) == [.finished])
    }

    @Test func migrationsRunOnAnExistingFileIdempotently() async throws {
        let first = try open()
        let applied = try await first.appliedMigrations()
        #expect(applied == ["v1-areas-gateways-users", "v1-bulletins-schedules-announcements", "v1-logs",
                            "v2-api-tokens-play-kinds", "v3-live-streams", "v4-bulletin-uploads", "v5-play-event-detail-origin", "v6-live-relay-url",
                            "v7-live-listen-key-capture", "v8-relay-schedules", "v9-programs", "v10-dispatches",
                            "v11-presence-report", "v12-upstream-link", "v13-user-disabled", "v14-program-relays"])
        try await first.createArea(Area(id: "ha-tinh", name: "Hà Tĩnh", kind: .province), origin: .controller)
        // Opening the same file again (while the first is still open, and again after) migrates nothing twice.
        let second = try open()
        #expect(try await second.appliedMigrations() == applied)
        #expect(try await second.area("ha-tinh").name == "Hà Tĩnh")
        let third = try open()
        #expect(try await third.appliedMigrations() == applied)
    }
}
