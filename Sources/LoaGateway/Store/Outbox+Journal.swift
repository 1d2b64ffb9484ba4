import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The play journal: one row per item (`PlayJournalEntry`), in the outbox's database. A step is
/// journalled and its event queued in one transaction, so after kill -9 either both are on disk
/// or neither is, and the journal always says whether an event was already logged.
///
/// The table is additive: schema version 1 readers (older gateways) ignore it, so a gateway can
/// still be rolled back.
extension Outbox {
    func createJournal() throws(OutboxError) {
        try perform { db throws(SQLiteError) in
            try db.exec("""
                CREATE TABLE IF NOT EXISTS play_journal (
                    item_id     TEXT NOT NULL PRIMARY KEY,
                    state       TEXT NOT NULL CHECK (state IN ('started', 'interrupted', 'finished', 'dropped', 'missed', 'failed')),
                    transitions INTEGER NOT NULL CHECK (transitions > 0),
                    started_at  REAL,
                    from_ms     INTEGER NOT NULL DEFAULT 0,
                    duration_ms INTEGER,
                    updated_at  REAL NOT NULL
                );
                CREATE INDEX IF NOT EXISTS play_journal_open ON play_journal (state) WHERE state IN ('started', 'interrupted');
                """)
        }
    }

    /// Journals one step of `itemId` and queues its event, atomically. `step` gets the item's
    /// current entry (nil: none yet) and returns the next entry with the event's id and payload,
    /// or nil to refuse the step (then nothing is written). Returns the entry written, or nil.
    @discardableResult
    public func journal(_ itemId: String,
                        step: (PlayJournalEntry?) -> (entry: PlayJournalEntry, eventId: UUID, payload: Data)?) throws(OutboxError) -> PlayJournalEntry? {
        let createdAt = now()
        return try perform { db throws(SQLiteError) in
            try db.transaction { db throws(SQLiteError) -> PlayJournalEntry? in
                let current = try db.query(Self.selectJournal + " WHERE item_id = ?", [.text(itemId)], row: Self.entry).first ?? nil
                guard let (entry, eventId, payload) = step(current) else { return nil }
                try db.run("""
                    INSERT INTO play_journal (item_id, state, transitions, started_at, from_ms, duration_ms, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, transitions = excluded.transitions,
                        started_at = excluded.started_at, from_ms = excluded.from_ms, duration_ms = excluded.duration_ms,
                        updated_at = excluded.updated_at
                    """, Self.values(entry))
                try db.run("INSERT OR IGNORE INTO outbox (id, kind, payload, createdAt) VALUES (?, ?, ?, ?)",
                           [.text(eventId.uuidString), .text(OutboxKind.playEvent.rawValue), .blob(payload),
                            .real(createdAt.timeIntervalSince1970)])
                return entry
            }
        }
    }

    /// The entries of these items (those that have one).
    public func journalEntries(_ itemIds: some Sequence<String>) throws(OutboxError) -> [String: PlayJournalEntry] {
        try perform { db throws(SQLiteError) in
            let select = try db.prepare(Self.selectJournal + " WHERE item_id = ?")
            var found: [String: PlayJournalEntry] = [:]
            for itemId in Set(itemIds) {
                try select.bind([.text(itemId)])
                if try select.step(), let entry = Self.entry(select) { found[itemId] = entry }
                select.reset()
            }
            return found
        }
    }

    /// Items whose sound had started and not ended: what a restart must close.
    public func openJournalEntries() throws(OutboxError) -> [PlayJournalEntry] {
        try perform { db throws(SQLiteError) in
            try db.query(Self.selectJournal + " WHERE state = 'started' ORDER BY updated_at", row: Self.entry).compactMap { $0 }
        }
    }

    /// Forgets entries not touched since `before` (their events were queued long ago); returns
    /// how many. Open entries go too: a play open for that long is not coming back.
    @discardableResult
    public func pruneJournal(before: Date) throws(OutboxError) -> Int {
        try perform { db throws(SQLiteError) in
            try db.run("DELETE FROM play_journal WHERE updated_at < ?", [.real(before.timeIntervalSince1970)])
        }
    }

    private static let selectJournal =
        "SELECT item_id, state, transitions, started_at, from_ms, duration_ms, updated_at FROM play_journal"

    private static func entry(_ row: SQLiteStatement) -> PlayJournalEntry? {
        guard let itemId = row.text(0), let state = row.text(1).flatMap(PlayJournalState.init(rawValue:)) else { return nil }
        return PlayJournalEntry(
            itemId: itemId, state: state, transitions: Int(row.int64(2)),
            startedAt: row.isNull(3) ? nil : Date(timeIntervalSince1970: row.double(3)), fromMs: row.int64(4),
            durationMs: row.isNull(5) ? nil : row.int64(5), updatedAt: Date(timeIntervalSince1970: row.double(6)))
    }

    private static func values(_ entry: PlayJournalEntry) -> [SQLiteValue] {
        [.text(entry.itemId), .text(entry.state.rawValue), .integer(Int64(entry.transitions)),
         entry.startedAt.map { .real($0.timeIntervalSince1970) } ?? .null, .integer(entry.fromMs),
         entry.durationMs.map { .integer($0) } ?? .null, .real(entry.updatedAt.timeIntervalSince1970)]
    }
}
