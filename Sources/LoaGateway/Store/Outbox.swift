import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The queue of as-played events and health snapshots the controller has not acknowledged,
/// in `<state>/outbox.sqlite`, and beside it the play journal (`Outbox+Journal.swift`), so that
/// a step of an item's life and the event reporting it are written in one transaction.
///
/// Durability: SQLite in WAL mode with `synchronous = FULL`, so a returned `append` survives
/// kill -9 and power loss; a crash mid-transaction leaves the previous state. Items are deleted
/// only by `acknowledge`, so every unacknowledged item is listed again after a restart, and an
/// acknowledged one never is.
///
/// On the system SQLite through `SQLiteConnection` (no GRDB: see docs/ARCHITECTURE.md). Files
/// written by earlier gateways, which used GRDB's migrator, open unchanged (see `migrate`).
///
/// Blocking (one connection behind a lock); call from a thread that may block.
public final class Outbox: Sendable {
    public let path: String
    /// How many health snapshots to keep; older ones are dropped as new ones arrive.
    public let healthLimit: Int
    private let connection: SQLiteConnection
    let now: @Sendable () -> Date

    /// The schema version this code writes, in `PRAGMA user_version`.
    static let schemaVersion: Int64 = 1

    /// Opens (creating and migrating) the outbox at `path`; `":memory:"` for tests.
    public init(path: String, healthLimit: Int = 100, now: @escaping @Sendable () -> Date = { Date() }) throws(OutboxError) {
        self.path = path
        self.healthLimit = max(1, healthLimit)
        self.now = now
        do throws(SQLiteError) {
            connection = try SQLiteConnection(path: path)
        } catch {
            throw Self.outboxError(error, path: path)
        }
        try configure(inMemory: path == ":memory:")
        try migrate()
        try createJournal()
    }

    /// WAL with `synchronous = FULL` (in WAL mode NORMAL may lose the last commits on power
    /// loss), each read back: SQLite silently keeps another journal mode where WAL cannot work.
    private func configure(inMemory: Bool) throws(OutboxError) {
        let failure: OutboxError? = try perform { db throws(SQLiteError) in
            if !inMemory {
                let mode = try db.text("PRAGMA journal_mode = WAL") ?? ""
                guard mode == "wal" else { return OutboxError.durability(path: path, setting: "journal_mode = WAL", value: mode) }
            }
            try db.exec("PRAGMA synchronous = FULL")
            let synchronous = try db.text("PRAGMA synchronous") ?? ""
            guard synchronous == "2" else { return OutboxError.durability(path: path, setting: "synchronous = FULL", value: synchronous) }
            return nil
        }
        if let failure { throw failure }
    }

    /// Brings the schema to `schemaVersion`, kept in `PRAGMA user_version`.
    ///
    /// Version 1 is the table GRDB's migrator created as its migration "v1" (files from
    /// gateways in the field: the same table and index, user_version 0, plus GRDB's own
    /// `grdb_migrations` table, left in place). `IF NOT EXISTS` makes the step the same for
    /// those and for a new file, and two processes opening a new file at once harmless. A new
    /// file gets GRDB's record of "v1" too, so that a gateway rolled back to a GRDB version opens
    /// it instead of failing to create a table that exists.
    private func migrate() throws(OutboxError) {
        let newer: Int64? = try perform { db throws(SQLiteError) in
            guard let version = try db.int64("PRAGMA user_version"), version != Self.schemaVersion else { return nil }
            if version > Self.schemaVersion { return version }
            return try db.transaction { db throws(SQLiteError) -> Int64? in
                // Read again under the write lock: another process may have migrated meanwhile.
                let version = try db.int64("PRAGMA user_version") ?? 0
                if version > Self.schemaVersion { return version }
                try db.exec("""
                    CREATE TABLE IF NOT EXISTS outbox (
                        sequence  INTEGER PRIMARY KEY AUTOINCREMENT,
                        id        TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
                        kind      TEXT NOT NULL CHECK (kind IN ('play', 'health')),
                        payload   BLOB NOT NULL,
                        createdAt REAL NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS outbox_kind ON outbox (kind, sequence);
                    CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT OR IGNORE INTO grdb_migrations VALUES ('v1');
                    PRAGMA user_version = \(Self.schemaVersion);
                    """)
                return nil
            }
        }
        if let newer { throw .newerSchema(path: path, version: newer) }
    }

    /// Appends durably and returns the item. Appending an id already queued is idempotent and
    /// returns the queued item unchanged.
    @discardableResult
    public func append(_ kind: OutboxKind, payload: Data, id: UUID = UUID()) throws(OutboxError) -> OutboxItem {
        let createdAt = now()
        let stored = try perform { db throws(SQLiteError) in
            try db.transaction { db throws(SQLiteError) in
                try db.run(
                    "INSERT OR IGNORE INTO outbox (id, kind, payload, createdAt) VALUES (?, ?, ?, ?)",
                    [.text(id.uuidString), .text(kind.rawValue), .blob(payload), .real(createdAt.timeIntervalSince1970)]
                )
                if kind == .health {
                    try db.run("""
                        DELETE FROM outbox WHERE kind = 'health' AND sequence NOT IN
                            (SELECT sequence FROM outbox WHERE kind = 'health' ORDER BY sequence DESC LIMIT ?)
                        """, [.integer(Int64(healthLimit))])
                }
                return try db.query(Self.selectItems + " WHERE id = ?", [.text(id.uuidString)], row: Self.item).first ?? nil
            }
        }
        guard let stored else { throw .database(path: path, message: "appended item \(id) not found") }
        return stored
    }

    /// Unacknowledged items in append order, at most `limit`.
    public func pending(limit: Int = 500) throws(OutboxError) -> [OutboxItem] {
        try perform { db throws(SQLiteError) in
            try db.query(Self.selectItems + " ORDER BY sequence LIMIT ?", [.integer(Int64(max(0, limit)))], row: Self.item)
                .compactMap { $0 }
        }
    }

    /// How many items wait for acknowledgement.
    public func pendingCount() throws(OutboxError) -> Int {
        try perform { db throws(SQLiteError) in Int(try db.int64("SELECT COUNT(*) FROM outbox") ?? 0) }
    }

    /// Deletes the acknowledged items; unknown ids (already acknowledged, or dropped health
    /// snapshots) are ignored. Returns how many were deleted.
    @discardableResult
    public func acknowledge(_ ids: some Sequence<UUID>) throws(OutboxError) -> Int {
        let texts = ids.map(\.uuidString)
        guard !texts.isEmpty else { return 0 }
        return try perform { db throws(SQLiteError) in
            try db.transaction { db throws(SQLiteError) in
                let delete = try db.prepare("DELETE FROM outbox WHERE id = ?")
                var deleted = 0
                for text in texts {
                    try delete.bind([.text(text)])
                    try delete.step()
                    deleted += db.changes
                }
                return deleted
            }
        }
    }

    /// A pragma's value as text, for tests of the durability settings.
    func pragma(_ name: String) throws(OutboxError) -> String? {
        try perform { db throws(SQLiteError) in try db.text("PRAGMA \(name)") }
    }

    static let selectItems = "SELECT sequence, id, kind, payload, createdAt FROM outbox"

    /// The item in the statement's current row (columns as in `selectItems`); nil for a row this
    /// code cannot read (not written by it), which is skipped rather than failing the queue.
    static func item(_ row: SQLiteStatement) -> OutboxItem? {
        guard let id = row.text(1).flatMap(UUID.init(uuidString:)), let kind = row.text(2).flatMap(OutboxKind.init(rawValue:)) else {
            return nil
        }
        return OutboxItem(
            sequence: row.int64(0), id: id, kind: kind, payload: row.blob(3) ?? Data(),
            createdAt: Date(timeIntervalSince1970: row.double(4))
        )
    }

    func perform<T>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(OutboxError) -> T {
        do throws(SQLiteError) { return try body(connection) } catch { throw Self.outboxError(error, path: path) }
    }

    /// The outbox error for an SQLite failure: a file that is not a database, or one that cannot
    /// be written, is told apart from other failures, because the remedy differs.
    static func outboxError(_ error: SQLiteError, path: String) -> OutboxError {
        switch error.primaryCode {
        case SQLITE_NOTADB: return .notADatabase(path: path, message: error.message)
        case SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM: return .unwritable(path: path, message: error.message)
        default: return .database(path: path, message: "\(error)")
        }
    }
}
