import CSQLite
import Foundation
import Testing
@testable import LoaGateway

@Suite("SQLite connection")
struct SQLiteConnectionTests {
    let directory = TemporaryDirectory("sqlite")
    var path: String { directory.file("test.sqlite") }

    @Test func everyStorageClassRoundTrips() throws {
        let db = try SQLiteConnection(path: ":memory:")
        try db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, value)")
        let bytes = Data((0 ..< 1_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let values: [SQLiteValue] = [
            .integer(.min), .integer(.max), .integer(0), .real(-0.125), .real(1_750_000_000.5),
            .text("Loa phường Bến Nghé ☎"), .text(""), .text("a\u{0}b"), .blob(bytes), .blob(Data()), .null,
        ]
        for (n, value) in values.enumerated() {
            #expect(try db.run("INSERT INTO t (n, value) VALUES (?, ?)", [.integer(Int64(n)), value]) == 1)
        }
        let read: [SQLiteValue] = try db.query("SELECT value, typeof(value) FROM t ORDER BY n") { row in
            switch row.text(1) {
            case "integer": return .integer(row.int64(0))
            case "real": return .real(row.double(0))
            case "text": return .text(row.text(0) ?? "<nil>")
            case "blob": return .blob(row.blob(0) ?? Data([0xFF]))
            default: return row.isNull(0) ? .null : .text("<unexpected>")
            }
        }
        #expect(read == values, "an empty blob stays a blob, an empty text a text, a NUL inside a text is kept")
    }

    @Test func wrongSQLThrowsSQLitesMessageAndTheSQL() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let syntax = #expect(throws: SQLiteError.self) { try db.exec("SELEC 1") }
        #expect(syntax?.message.contains("syntax error") == true)
        #expect(syntax?.description.contains("SELEC 1") == true)
        #expect(syntax?.primaryCode == SQLITE_ERROR)

        let missing = #expect(throws: SQLiteError.self) { try db.prepare("SELECT * FROM nowhere") }
        #expect(missing?.message == "no such table: nowhere")
        #expect(missing == .statement(sql: "SELECT * FROM nowhere", code: SQLITE_ERROR, message: "no such table: nowhere"))
    }

    @Test func misusedStatementsAreRefusedWithAReason() throws {
        let db = try SQLiteConnection(path: ":memory:")
        let two = #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1; SELECT 2") }
        #expect(two?.message.contains("more than one SQL statement") == true)
        let empty = #expect(throws: SQLiteError.self) { try db.prepare("  -- nothing") }
        #expect(empty?.message.contains("no SQL statement") == true)
        let statement = try db.prepare("SELECT ?1 + ?2")
        let count = #expect(throws: SQLiteError.self) { try statement.bind([.integer(1)]) }
        #expect(count?.message == "1 values bound to 2 parameters")
        let range = #expect(throws: SQLiteError.self) { try statement.bind(.integer(1), at: 3) }
        #expect(range?.primaryCode == SQLITE_RANGE)
        #expect(range?.message == "column index out of range")
        try statement.bind([.integer(40), .integer(2)])
        #expect(try statement.step())
        #expect(statement.int64(0) == 42)
        #expect(try !statement.step())
    }

    @Test func aFailedTransactionLeavesNothingAndTheNextOneWorks() throws {
        let db = try SQLiteConnection(path: path)
        try db.exec("CREATE TABLE t (id TEXT NOT NULL UNIQUE)")
        let error = #expect(throws: SQLiteError.self) {
            try db.transaction { db throws(SQLiteError) in
                try db.run("INSERT INTO t VALUES ('a')")
                try db.run("INSERT INTO t VALUES ('a')")
            }
        }
        #expect(error?.code == SQLITE_CONSTRAINT | 8 << 8, "SQLITE_CONSTRAINT_UNIQUE (a C macro Swift does not import)")
        #expect(error?.message == "UNIQUE constraint failed: t.id")
        #expect(try db.int64("SELECT COUNT(*) FROM t") == 0, "the first insert was rolled back")
        try db.transaction { db throws(SQLiteError) in try db.run("INSERT INTO t VALUES ('b'), ('c')") }
        #expect(db.changes == 2)
        #expect(try db.query("SELECT id FROM t ORDER BY id") { $0.text(0) } == ["b", "c"])
    }

    @Test func aSecondConnectionWaitsForTheLockThenFailsWithBusy() throws {
        let first = try SQLiteConnection(path: path)
        try first.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER)")
        let impatient = try SQLiteConnection(path: path, busyTimeout: .milliseconds(100))
        try first.exec("BEGIN IMMEDIATE")
        let started = Date()
        let busy = #expect(throws: SQLiteError.self) { try impatient.run("INSERT INTO t VALUES (1)") }
        #expect(busy?.primaryCode == SQLITE_BUSY)
        #expect(busy?.message == "database is locked")
        #expect(Date().timeIntervalSince(started) >= 0.09, "it waited for the busy timeout first")

        // The default timeout (5 s) outlasts a short write of another connection.
        let patient = try SQLiteConnection(path: path)
        Thread.detachNewThread {
            usleep(200_000)
            try? first.exec("INSERT INTO t VALUES (0); COMMIT")
        }
        try patient.run("INSERT INTO t VALUES (2)")
        #expect(try patient.query("SELECT n FROM t ORDER BY rowid") { $0.int64(0) } == [0, 2])
    }

    @Test func transactionsFromSeveralThreadsDoNotInterleave() throws {
        let db = try SQLiteConnection(path: path)
        try db.exec("CREATE TABLE t (thread INTEGER, n INTEGER)")
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for _ in 0 ..< 25 {
                try? db.transaction { db throws(SQLiteError) in
                    // Read-then-write: another thread's insert between the two would duplicate n.
                    let next = try db.int64("SELECT COUNT(*) FROM t WHERE thread = ?", [.integer(Int64(thread))]) ?? -1
                    try db.run("INSERT INTO t VALUES (?, ?)", [.integer(Int64(thread)), .integer(next)])
                }
            }
        }
        #expect(try db.int64("SELECT COUNT(*) FROM t") == 100)
        #expect(try db.int64("SELECT COUNT(DISTINCT thread * 1000 + n) FROM t") == 100)
    }

    @Test func aMissingDirectoryIsAnOpenErrorNamingTheFile() throws {
        let missing = directory.file("absent/test.sqlite")
        let error = #expect(throws: SQLiteError.self) { try SQLiteConnection(path: missing) }
        #expect(error?.primaryCode == SQLITE_CANTOPEN)
        #expect(error?.description.contains(missing) == true)
        #expect(error?.message.contains("No such file or directory") == true, "the system's reason: \(String(describing: error))")
    }
}
