import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A prepared statement of one `SQLiteConnection`: bind parameters, step through the rows, read
/// the current row's columns. Finalized when released.
///
/// Use it inside one `SQLiteConnection.transaction` or `serialized` call, so that no other
/// thread's statements run between its steps. Every call also takes the connection's lock, so
/// a misuse from two threads cannot corrupt the connection.
final class SQLiteStatement {
    let sql: String
    private let connection: SQLiteConnection
    private let handle: OpaquePointer

    /// Compiles exactly one statement; several (`"A; B"`) are refused, use `exec` for those.
    init(_ sql: String, on connection: SQLiteConnection) throws(SQLiteError) {
        self.sql = sql
        self.connection = connection
        var statement: OpaquePointer?
        var rest = ""
        let code = connection.serialized {
            sql.withCString { text in
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(connection.handle, text, -1, &statement, &tail)
                if code == SQLITE_OK, let tail { rest = String(cString: tail) }
                return code
            }
        }
        guard code == SQLITE_OK else { throw connection.error(code, sql: sql) }
        guard let statement else {
            throw .statement(sql: sql, code: SQLITE_MISUSE, message: "no SQL statement to prepare (empty or only comments)")
        }
        guard rest.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(statement)
            throw .statement(sql: sql, code: SQLITE_MISUSE, message: "more than one SQL statement; prepare one at a time or use exec")
        }
        handle = statement
    }

    deinit {
        connection.serialized { _ = sqlite3_finalize(handle) }
    }

    /// Resets the statement and binds `values` to its parameters `?1 …`, one value each.
    func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        try connection.serialized { () throws(SQLiteError) in
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            let expected = Int(sqlite3_bind_parameter_count(handle))
            guard values.count == expected else {
                throw .statement(sql: sql, code: SQLITE_RANGE, message: "\(values.count) values bound to \(expected) parameters")
            }
            for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
        }
    }

    /// Binds one value to the parameter at `index` (1-based).
    func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let code: Int32 = connection.serialized {
            switch value {
            case .integer(let integer):
                return sqlite3_bind_int64(handle, index, integer)
            case .real(let real):
                return sqlite3_bind_double(handle, index, real)
            case .text(let text):
                // The byte count, not -1: a text may hold NUL characters.
                return text.withCString {
                    sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
                }
            case .blob(let data):
                // A zero-length blob through bind_blob would have no address and be bound as NULL.
                if data.isEmpty { return sqlite3_bind_zeroblob(handle, index, 0) }
                return data.withUnsafeBytes {
                    sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), transient)
                }
            case .null:
                return sqlite3_bind_null(handle, index)
            }
        }
        guard code == SQLITE_OK else { throw connection.error(code, sql: sql) }
    }

    /// Runs one step: `true` when a row is ready to read, `false` when the statement is done.
    @discardableResult
    func step() throws(SQLiteError) -> Bool {
        let code = connection.serialized { sqlite3_step(handle) }
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code, sql: sql)
        }
    }

    /// Rewinds the statement to run it again; the bindings stay.
    func reset() {
        connection.serialized { _ = sqlite3_reset(handle) }
    }

    /// How many columns a row of this statement has.
    var columnCount: Int { connection.serialized { Int(sqlite3_column_count(handle)) } }

    /// Whether the current row's column (0-based) holds NULL.
    func isNull(_ column: Int32) -> Bool {
        connection.serialized { sqlite3_column_type(handle, column) == SQLITE_NULL }
    }

    /// The column as an integer (SQLite converts other storage classes; NULL is 0).
    func int64(_ column: Int32) -> Int64 {
        connection.serialized { sqlite3_column_int64(handle, column) }
    }

    /// The column as a real (SQLite converts other storage classes; NULL is 0).
    func double(_ column: Int32) -> Double {
        connection.serialized { sqlite3_column_double(handle, column) }
    }

    /// The column as UTF-8 text; nil when NULL.
    func text(_ column: Int32) -> String? {
        connection.serialized {
            guard sqlite3_column_type(handle, column) != SQLITE_NULL, let bytes = sqlite3_column_text(handle, column) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }

    /// The column's bytes; nil when NULL, empty for a zero-length blob.
    func blob(_ column: Int32) -> Data? {
        connection.serialized {
            guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
            guard let bytes = sqlite3_column_blob(handle, column) else { return Data() }
            return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, column)))
        }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the bind call returns. The C macro
/// is a cast of -1 to a function pointer, which Swift does not import.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
