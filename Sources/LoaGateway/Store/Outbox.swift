import Foundation
import GRDB

/// The queue of as-played events and health snapshots the controller has not acknowledged,
/// in `<state>/outbox.sqlite`.
///
/// Durability: SQLite in WAL mode with `synchronous = FULL`, so a returned `append` survives
/// kill -9 and power loss; a crash mid-transaction leaves the previous state. Items are deleted
/// only by `acknowledge`, so every unacknowledged item is listed again after a restart, and an
/// acknowledged one never is.
///
/// Blocking (GRDB serialises access on its queue); call from a thread that may block.
public final class Outbox: Sendable {
    public let path: String
    /// How many health snapshots to keep; older ones are dropped as new ones arrive.
    public let healthLimit: Int
    private let database: DatabaseQueue
    private let now: @Sendable () -> Date

    /// Opens (creating and migrating) the outbox at `path`; `":memory:"` for tests.
    public init(path: String, healthLimit: Int = 100, now: @escaping @Sendable () -> Date = { Date() }) throws(OutboxError) {
        self.path = path
        self.healthLimit = max(1, healthLimit)
        self.now = now
        do {
            // Not `configuration.journalMode = .wal`: GRDB's WAL set-up then lowers
            // synchronous to NORMAL, which may lose the last commits on power loss.
            var configuration = Configuration()
            let inMemory = path == ":memory:"
            configuration.prepareDatabase { db in
                if !inMemory { try db.execute(sql: "PRAGMA journal_mode = WAL") }
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            database = inMemory
                ? try DatabaseQueue(configuration: configuration)
                : try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw .database(path: path, message: "\(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    sequence  INTEGER PRIMARY KEY AUTOINCREMENT,
                    id        TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
                    kind      TEXT NOT NULL CHECK (kind IN ('play', 'health')),
                    payload   BLOB NOT NULL,
                    createdAt REAL NOT NULL
                );
                CREATE INDEX outbox_kind ON outbox (kind, sequence);
                """)
        }
        return migrator
    }

    /// Appends durably and returns the item. Appending an id already queued is idempotent and
    /// returns the queued item unchanged.
    @discardableResult
    public func append(_ kind: OutboxKind, payload: Data, id: UUID = UUID()) throws(OutboxError) -> OutboxItem {
        let createdAt = now()
        let limit = healthLimit
        return try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO outbox (id, kind, payload, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [id.uuidString, kind.rawValue, payload, createdAt.timeIntervalSince1970]
            )
            if kind == .health {
                try db.execute(sql: """
                    DELETE FROM outbox WHERE kind = 'health' AND sequence NOT IN
                        (SELECT sequence FROM outbox WHERE kind = 'health' ORDER BY sequence DESC LIMIT ?)
                    """, arguments: [limit])
            }
            let row = try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id.uuidString])
            guard let row, let item = Self.item(row) else {
                throw OutboxError.database(path: self.path, message: "appended item \(id) not found")
            }
            return item
        }
    }

    /// Unacknowledged items in append order, at most `limit`.
    public func pending(limit: Int = 500) throws(OutboxError) -> [OutboxItem] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY sequence LIMIT ?", arguments: [limit]).compactMap(Self.item)
        }
    }

    /// How many items wait for acknowledgement.
    public func pendingCount() throws(OutboxError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
    }

    /// Deletes the acknowledged items; unknown ids (already acknowledged, or dropped health
    /// snapshots) are ignored. Returns how many were deleted.
    @discardableResult
    public func acknowledge(_ ids: some Sequence<UUID>) throws(OutboxError) -> Int {
        let texts = ids.map(\.uuidString)
        guard !texts.isEmpty else { return 0 }
        return try write { db in
            var deleted = 0
            for text in texts {
                try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [text])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// A pragma's value as text, for tests of the durability settings.
    func pragma(_ name: String) throws(OutboxError) -> String? {
        try read { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    private static func item(_ row: Row) -> OutboxItem? {
        guard let id = UUID(uuidString: row["id"]), let kind = OutboxKind(rawValue: row["kind"]) else { return nil }
        return OutboxItem(
            sequence: row["sequence"], id: id, kind: kind, payload: row["payload"],
            createdAt: Date(timeIntervalSince1970: row["createdAt"])
        )
    }

    private func write<T>(_ body: (Database) throws -> T) throws(OutboxError) -> T {
        do { return try database.write(body) } catch let error as OutboxError { throw error } catch {
            throw .database(path: path, message: "\(error)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(OutboxError) -> T {
        do { return try database.read(body) } catch {
            throw .database(path: path, message: "\(error)")
        }
    }
}
