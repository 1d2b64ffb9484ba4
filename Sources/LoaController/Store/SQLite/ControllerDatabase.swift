import Foundation
import GRDB
import Logging

/// The controller's embedded store: one SQLite database that owns its migrator and its writer
/// (a WAL `DatabasePool` for a file, a `DatabaseQueue` in memory for tests), in the shape of
/// GRDB's demo `AppDatabase`. Every change is one transaction that also writes its audit entry.
public struct ControllerDatabase: Sendable {
    /// Tunables with defaults suited to one controller for a province.
    public struct Options: Sendable {
        public var passwordHasher: PasswordHasher
        /// Health samples kept per gateway; the oldest are pruned on insert.
        public var healthHistoryLimit: Int
        /// Health samples older than this (seconds) are pruned on insert, whatever their count.
        public var healthHistoryMaxAge: TimeInterval
        /// The clock for timestamps the store sets itself (created, approved, stopped …).
        public var now: @Sendable () -> Date
        public var logger: Logger

        public init(
            passwordHasher: PasswordHasher = .standard, healthHistoryLimit: Int = 2_880,
            healthHistoryMaxAge: TimeInterval = 30 * 86_400, now: @escaping @Sendable () -> Date = { Date() },
            logger: Logger = Logger(label: "loa.controller.store")
        ) {
            self.passwordHasher = passwordHasher
            self.healthHistoryLimit = healthHistoryLimit
            self.healthHistoryMaxAge = healthHistoryMaxAge
            self.now = now
            self.logger = logger
        }
    }

    let writer: any DatabaseWriter
    let vault: GatewaySecretVault
    let options: Options

    init(writer: any DatabaseWriter, vault: GatewaySecretVault, options: Options) throws(StoreError) {
        self.writer = writer
        self.vault = vault
        self.options = options
        do {
            let before = try writer.read { db in try Self.migrator.appliedMigrations(db) }
            try Self.migrator.migrate(writer)
            let after = try writer.read { db in try Self.migrator.appliedMigrations(db) }
            if after != before {
                options.logger.info("database schema migrated", metadata: [
                    "database.path": "\(writer.path)",
                    "database.migrations": "\(after.filter { !before.contains($0) }.joined(separator: ","))",
                ])
            }
        } catch {
            throw StoreError(error)
        }
        try checkVaultOpensStoredSecrets()
    }

    /// Fails at start, not at the first handshake, when the key file is not the one that sealed
    /// the stored secrets (replaced, regenerated after a loss, or from another installation).
    private func checkVaultOpensStoredSecrets() throws(StoreError) {
        let sample: (id: String, sealed: Data)?
        do {
            sample = try writer.read { db in
                try Row.fetchOne(db, sql: "SELECT id, secret_sealed FROM gateway ORDER BY id LIMIT 1")
                    .map { (id: $0["id"], sealed: $0["secret_sealed"]) }
            }
        } catch {
            throw StoreError(error)
        }
        guard let sample else { return }
        do {
            _ = try vault.open(sample.sealed, gatewayID: sample.id)
        } catch {
            throw .keyFile(path: vault.keyFilePath, reason: "it does not open the gateway secrets stored in \(writer.path) "
                + "(gateway '\(sample.id)'); restore the key file this database was set up with")
        }
    }

    /// Opens (creating if needed) the database file in WAL mode and brings its schema up to date.
    public static func open(path: String, vault: GatewaySecretVault, options: Options = Options()) throws(StoreError) -> ControllerDatabase {
        do {
            let pool = try DatabasePool(path: path, configuration: makeConfiguration())
            return try ControllerDatabase(writer: pool, vault: vault, options: options)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("cannot open \(path): \(error)")
        }
    }

    /// An empty database in memory, for tests.
    public static func inMemory(vault: GatewaySecretVault, options: Options = Options()) throws(StoreError) -> ControllerDatabase {
        do {
            let queue = try DatabaseQueue(configuration: makeConfiguration())
            return try ControllerDatabase(writer: queue, vault: vault, options: options)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("cannot create an in-memory database: \(error)")
        }
    }

    static func makeConfiguration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // WAL is durable across power loss at NORMAL except for the last commits; the
            // controller can lose a few seconds of telemetry but never a corrupt file.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        return config
    }

    /// The names of the migrations applied to the database, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// The journal mode SQLite reports (`"wal"` for a file database).
    public func journalMode() async throws(StoreError) -> String {
        try await read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    // MARK: Access with errors mapped to StoreError

    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.write(updates)
        } catch {
            throw StoreError(error)
        }
    }

    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.read(value)
        } catch {
            throw StoreError(error)
        }
    }

    /// Appends an audit entry inside the current transaction.
    func audit(
        _ db: Database, _ action: String, target: String, details: [String: String] = [:], origin: AuditOrigin
    ) throws {
        try db.execute(
            sql: "INSERT INTO audit_entry (at, actor, action, target, address, details) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [options.now().millisecondsSince1970, origin.actor, action, target, origin.address,
                        AuditEntry.encodeDetails(details)]
        )
    }
}
