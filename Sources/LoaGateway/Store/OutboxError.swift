/// Why the outbox could not open, read or write; each case names the file.
public enum OutboxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A failed database operation, with SQLite's message and the SQL.
    case database(path: String, message: String)
    /// The file exists but is not an SQLite database (damaged or replaced). It is left as it is.
    case notADatabase(path: String, message: String)
    /// The file, or the `-wal` / `-shm` files beside it, cannot be created or written.
    case unwritable(path: String, message: String)
    /// The file was written by a newer gateway with a schema this one does not know.
    case newerSchema(path: String, version: Int64)
    /// SQLite did not apply a durability setting (WAL journal, `synchronous = FULL`).
    case durability(path: String, setting: String, value: String)

    public var description: String {
        switch self {
        case .database(let path, let message):
            return "outbox \(path): \(message); if the disk is full, free space — queued items stay intact"
        case .notADatabase(let path, let message):
            return "outbox \(path) is not an SQLite database (\(message)): the file was damaged or replaced; "
                + "move it aside to start with an empty outbox (the items it held are not sent)"
        case .unwritable(let path, let message):
            return "outbox \(path) cannot be written (\(message)): the state directory and the file must be writable "
                + "by the gateway's user, which also creates \(path)-wal and \(path)-shm beside it"
        case .newerSchema(let path, let version):
            return "outbox \(path) has schema version \(version), newer than this gateway knows (1): "
                + "it was written by a newer loa-gateway; install that version again (the file is left unchanged)"
        case .durability(let path, let setting, let value):
            return "outbox \(path): SQLite did not apply \(setting) (it reports \(value)); "
                + "the file system may not support it (WAL needs shared memory: not a network file system)"
        }
    }
}
