import CSQLite
import Foundation
import Testing
@testable import LoaGateway
#if canImport(Glibc)
import Glibc
#endif

/// The outbox file as found on a gateway: written by an older version, damaged, unwritable.
@Suite("Outbox files")
struct OutboxFileTests {
    let directory = TemporaryDirectory("outbox-file")
    var path: String { directory.file("outbox.sqlite") }

    /// The schema exactly as GRDB's migrator wrote it (migration "v1") in gateways up to
    /// session 4, with GRDB's bookkeeping table, in WAL mode, user_version 0.
    static let grdbSchema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        CREATE TABLE outbox (
            sequence  INTEGER PRIMARY KEY AUTOINCREMENT,
            id        TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
            kind      TEXT NOT NULL CHECK (kind IN ('play', 'health')),
            payload   BLOB NOT NULL,
            createdAt REAL NOT NULL
        );
        CREATE INDEX outbox_kind ON outbox (kind, sequence);
        INSERT INTO grdb_migrations VALUES ('v1');
        """

    @Test func opensAnOutboxWrittenByTheGRDBGatewayWithoutLosingARow() throws {
        let rows: [(UUID, OutboxKind, String, Double)] = (0 ..< 4).map { n in
            (UUID(), n == 1 ? .health : .playEvent, "event \(n)", 1_750_000_000 + Double(n) * 0.25)
        }
        do {
            let old = try SQLiteConnection(path: path)
            try old.exec(Self.grdbSchema)
            for (id, kind, payload, createdAt) in rows {
                try old.run("INSERT INTO outbox (id, kind, payload, createdAt) VALUES (?, ?, ?, ?)",
                            [.text(id.uuidString), .text(kind.rawValue), .blob(Data(payload.utf8)), .real(createdAt)])
            }
            // The last one was acknowledged: its sequence must never be given out again.
            try old.run("DELETE FROM outbox WHERE id = ?", [.text(rows[3].0.uuidString)])
            #expect(try old.int64("PRAGMA user_version") == 0)
        }

        let outbox = try Outbox(path: path)
        let expected = rows.prefix(3).enumerated().map { n, row in
            OutboxItem(sequence: Int64(n + 1), id: row.0, kind: row.1, payload: Data(row.2.utf8), createdAt: Date(timeIntervalSince1970: row.3))
        }
        #expect(try outbox.pending() == expected)
        #expect(try outbox.pragma("user_version") == "1")
        #expect(try outbox.pragma("journal_mode") == "wal")
        let appended = try outbox.append(.playEvent, payload: Data("new".utf8))
        #expect(appended.sequence == 5, "AUTOINCREMENT's counter survived the upgrade")
        try outbox.acknowledge([expected[0].id])

        let reopened = try Outbox(path: path)
        #expect(try reopened.pending() == Array(expected.dropFirst()) + [appended])
        let check = try SQLiteConnection(path: path)
        #expect(try check.query("SELECT identifier FROM grdb_migrations") { $0.text(0) } == ["v1"], "GRDB's table is left alone")
    }

    @Test func aNewFileOpensInAGRDBGatewayRolledBack() throws {
        try Outbox(path: path).append(.playEvent, payload: Data("x".utf8))
        let check = try SQLiteConnection(path: path)
        // What GRDB's migrator reads to decide that "v1" (CREATE TABLE outbox) is applied.
        #expect(try check.query("SELECT identifier FROM grdb_migrations") { $0.text(0) } == ["v1"])
        #expect(try check.int64("SELECT COUNT(*) FROM outbox") == 1)
    }

    @Test func aFileThatIsNotADatabaseIsAClearErrorAndIsLeftIntact() throws {
        var garbage = Data("This is not an SQLite file: a torn copy, or something else entirely.\n".utf8)
        garbage.append(Data((0 ..< 8_000).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }))
        try garbage.write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: OutboxError.self) { try Outbox(path: path) }
        guard case .notADatabase(let named, let message) = error else {
            Issue.record("expected notADatabase, got \(String(describing: error))")
            return
        }
        #expect(named == path)
        #expect(message == "file is not a database")
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("move it aside") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage, "the file is not touched")

        // The same through the gateway's entry point.
        let state = #expect(throws: LocalStateError.self) { try LocalState(root: directory.path) }
        #expect(state == .outbox(error!))
    }

    @Test func aSchemaFromANewerGatewayIsRefusedAndLeftUnchanged() throws {
        do {
            let outbox = try Outbox(path: path)
            try outbox.append(.playEvent, payload: Data("kept".utf8))
        }
        try SQLiteConnection(path: path).exec("PRAGMA user_version = 2")
        let error = #expect(throws: OutboxError.self) { try Outbox(path: path) }
        #expect(error == .newerSchema(path: path, version: 2))
        try SQLiteConnection(path: path).exec("PRAGMA user_version = 1")
        #expect(try Outbox(path: path).pendingCount() == 1)
    }

    /// Whether this process can create files in a directory whose mode denies it (root can).
    static let permissionsBind: Bool = geteuid() != 0

    @Test(.enabled(if: permissionsBind, "root ignores directory permissions; see aDirectoryWhereNoFileCanBeCreated"))
    func aReadOnlyDirectoryIsAClearErrorAndLosesNothing() throws {
        let fresh = directory.file("fresh")
        try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
        defer { chmod(fresh, 0o755) }
        let error = #expect(throws: OutboxError.self) { try Outbox(path: fresh + "/outbox.sqlite") }
        guard case .unwritable(let named, _) = error else {
            Issue.record("expected unwritable, got \(String(describing: error))")
            return
        }
        #expect(named == fresh + "/outbox.sqlite")

        // An existing outbox whose directory became read-only: refused, and its items are
        // all there once the directory is writable again.
        let item = try Outbox(path: path).append(.playEvent, payload: Data("kept".utf8))
        for name in ["outbox.sqlite-wal", "outbox.sqlite-shm"] { unlink(directory.file(name)) }
        chmod(directory.path, 0o555)
        defer { chmod(directory.path, 0o755) }
        let again = #expect(throws: OutboxError.self) { try Outbox(path: path).append(.playEvent, payload: Data("lost?".utf8)) }
        #expect(again?.description.contains(path) == true)
        chmod(directory.path, 0o755)
        #expect(try Outbox(path: path).pending() == [item])
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/kernel"), "needs sysfs"))
    func aDirectoryWhereNoFileCanBeCreatedIsAClearError() throws {
        // sysfs refuses new files even to root, so this runs wherever the tests do.
        let unwritable = "/sys/loa-outbox-test.sqlite"
        let error = #expect(throws: OutboxError.self) { try Outbox(path: unwritable) }
        guard case .unwritable(let named, let message) = error else {
            Issue.record("expected unwritable, got \(String(describing: error))")
            return
        }
        #expect(named == unwritable)
        #expect(message.contains("unable to open database file"))
        #expect(error?.description.contains("writable by the gateway's user") == true)
    }

    @Test func twoOpenersOfOneFileWaitForEachOther() throws {
        // The gateway and loactl (or a test) each open the file: writes wait for each other.
        let gateway = try Outbox(path: path)
        let tool = try Outbox(path: path)
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            let outbox = side == 0 ? gateway : tool
            for n in 0 ..< 40 { _ = try? outbox.append(.playEvent, payload: Data("\(side)-\(n)".utf8)) }
        }
        #expect(try gateway.pendingCount() == 80)
        #expect(try tool.pending(limit: .max).map(\.sequence) == Array(1 ... 80))
    }
}
