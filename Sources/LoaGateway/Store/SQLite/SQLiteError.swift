import CSQLite

/// A failed SQLite call: what was being done (the file opened, or the SQL run), SQLite's result
/// code and its own message (`sqlite3_errmsg`).
enum SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `sqlite3_open_v2` failed: the file or its directory cannot be opened or created.
    case open(path: String, code: Int32, message: String)
    /// Preparing, binding or running `sql` failed.
    case statement(sql: String, code: Int32, message: String)

    /// The extended result code (`SQLITE_BUSY`, `SQLITE_IOERR_WRITE` …).
    var code: Int32 {
        switch self {
        case .open(_, let code, _), .statement(_, let code, _): return code
        }
    }

    /// The primary result code: the low byte of the extended one.
    var primaryCode: Int32 { code & 0xFF }

    /// SQLite's message, without the context.
    var message: String {
        switch self {
        case .open(_, _, let message), .statement(_, _, let message): return message
        }
    }

    public var description: String {
        switch self {
        case .open(let path, let code, let message):
            return "cannot open SQLite database \(path): \(message) (code \(code))"
        case .statement(let sql, let code, let message):
            return "SQLite: \(message) (code \(code)) in: \(sql)"
        }
    }
}
