import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One connection to an SQLite database file (or `":memory:"`) through the system libsqlite3:
/// `exec` for SQL without parameters, prepared statements with bound values, transactions.
///
/// A small adapter, not an ORM: the gateway has one table, and a library such as GRDB kept more
/// than a megabyte of code resident in the gateway for it (docs/PERFORMANCE.md).
///
/// Thread-safe: one lock guards the connection, and `transaction` holds it for the whole
/// transaction, so another thread's statements never interleave with it. Another process (a
/// test, `loactl`) may open the same file: a locked database is retried for `busyTimeout`
/// before `SQLITE_BUSY` is thrown. Blocking; call from a thread that may block.
final class SQLiteConnection: @unchecked Sendable {
    let path: String
    /// The sqlite3 handle; use only inside `serialized`.
    let handle: OpaquePointer
    private let lock = RecursiveLock()

    /// Opens the database at `path`, creating the file if it does not exist.
    /// - Parameter busyTimeout: how long a statement waits for another connection's lock.
    init(path: String, busyTimeout: Duration = .seconds(5)) throws(SQLiteError) {
        self.path = path
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            // A handle is returned even on most failures: it holds the message, and must be closed.
            let failure: (code: Int32, message: String) = connection.map { Self.error(code, on: $0) } ?? (code, String(cString: sqlite3_errstr(code)))
            sqlite3_close_v2(connection)
            throw .open(path: path, code: failure.code, message: failure.message)
        }
        handle = connection
        sqlite3_extended_result_codes(connection, 1)
        let milliseconds = busyTimeout.components.seconds * 1_000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(connection, Int32(clamping: milliseconds))
    }

    deinit {
        // close_v2: should a statement still be alive, the handle is freed with the last one.
        sqlite3_close_v2(handle)
    }

    /// Runs `body` holding the connection's lock (re-entrant: a transaction's statements take it again).
    func serialized<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs SQL without parameters: one or several statements separated by `;`. Rows are ignored.
    func exec(_ sql: String) throws(SQLiteError) {
        try serialized { () throws(SQLiteError) in
            var message: UnsafeMutablePointer<CChar>?
            let code = sqlite3_exec(handle, sql, nil, nil, &message)
            defer { sqlite3_free(message) }
            guard code == SQLITE_OK else {
                let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
                throw .statement(sql: sql, code: sqlite3_extended_errcode(handle), message: text)
            }
        }
    }

    /// Compiles one statement.
    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(sql, on: self)
    }

    /// Runs one statement with `values` bound to its parameters, ignoring any rows; returns how
    /// many rows it inserted, updated or deleted.
    @discardableResult
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        try serialized { () throws(SQLiteError) in
            let statement = try prepare(sql)
            try statement.bind(values)
            while try statement.step() {}
            return changes
        }
    }

    /// Runs one query with `values` bound and maps every row.
    func query<T>(_ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) -> T) throws(SQLiteError) -> [T] {
        try serialized { () throws(SQLiteError) in
            let statement = try prepare(sql)
            try statement.bind(values)
            var rows: [T] = []
            while try statement.step() { rows.append(row(statement)) }
            return rows
        }
    }

    /// The first column of the first row as text (nil without a row or for NULL): for pragmas.
    func text(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> String? {
        try query(sql, values) { $0.text(0) }.first ?? nil
    }

    /// The first column of the first row as an integer (nil without a row or for NULL).
    func int64(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Int64? {
        try query(sql, values) { $0.isNull(0) ? nil : $0.int64(0) }.first ?? nil
    }

    /// Rows inserted, updated or deleted by the most recent INSERT, UPDATE or DELETE.
    var changes: Int { serialized { Int(sqlite3_changes(handle)) } }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back
    /// when it (or the commit) throws. IMMEDIATE takes the write lock at the start, so two
    /// writers wait for each other (up to the busy timeout) instead of failing mid-transaction.
    @discardableResult
    func transaction<T>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try serialized { () throws(SQLiteError) in
            try exec("BEGIN IMMEDIATE")
            do throws(SQLiteError) {
                let result = try body(self)
                try exec("COMMIT")
                return result
            } catch {
                // A failed statement may already have rolled back (SQLITE_FULL, IOERR …).
                if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
                throw error
            }
        }
    }

    /// The error for a failed call that returned `code`, with SQLite's message and the SQL.
    func error(_ code: Int32, sql: String) -> SQLiteError {
        let failure = Self.error(code, on: handle)
        return .statement(sql: sql, code: failure.code, message: failure.message)
    }

    /// The extended code and the message of the connection's last error, if it is the one that
    /// returned `code`; for a file-system failure with the system's reason ("Permission denied").
    private static func error(_ code: Int32, on handle: OpaquePointer) -> (code: Int32, message: String) {
        let extended = sqlite3_extended_errcode(handle)
        guard extended & 0xFF == code & 0xFF else { return (code, String(cString: sqlite3_errstr(code))) }
        var message = String(cString: sqlite3_errmsg(handle))
        let systemErrno = sqlite3_system_errno(handle)
        if systemErrno != 0, [SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_READONLY, SQLITE_FULL, SQLITE_PERM].contains(code & 0xFF) {
            message += ": " + String(cString: strerror(systemErrno))
        }
        return (extended, message)
    }
}
