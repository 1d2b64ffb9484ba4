import GRDB

extension ControllerDatabase: UserRepository {
    public func createUser(
        username: String, password: String, role: User.Role, areaID: String?, origin: AuditOrigin
    ) async throws(StoreError) -> User {
        try Identifier.check(username, .user)
        try Self.checkArea(areaID, role: role, username: username)
        try Self.checkPassword(password, username: username)
        let hash = try await options.passwordHasher.hashInBackground(password)
        let now = options.now()
        return try await write { db in
            if try Self.findUser(db, username) != nil { throw StoreError.alreadyExists(kind: "user", id: username) }
            if let areaID { _ = try Self.requireArea(db, areaID) }
            try db.execute(sql: """
                INSERT INTO user_account (username, password_hash, role, area_id, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [username, hash, role.rawValue, areaID, now.millisecondsSince1970])
            try audit(db, "user.create", target: username, details: ["role": role.rawValue, "area": areaID ?? ""], origin: origin)
            return try Self.requireUser(db, username)
        }
    }

    public func user(_ username: String) async throws(StoreError) -> User {
        try await read { db in try Self.requireUser(db, username) }
    }

    public func users() async throws(StoreError) -> [User] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user_account ORDER BY username").map(User.init(row:))
        }
    }

    public func updateUser(_ username: String, role: User.Role, areaID: String?, origin: AuditOrigin) async throws(StoreError) -> User {
        try Self.checkArea(areaID, role: role, username: username)
        return try await write { db in
            let old = try Self.requireUser(db, username)
            if let areaID { _ = try Self.requireArea(db, areaID) }
            let staysSystemAdmin = role == .admin && areaID == nil
            if old.role == .admin && old.areaID == nil && !old.isDisabled && !staysSystemAdmin, try Self.systemAdminCount(db) <= 1 {
                throw StoreError.inUse(kind: "user", id: username, reason:
                    "it is the last system-wide admin; make another user admin first (or on the controller machine: loa-controller admin user set-role USER admin)")
            }
            try db.execute(sql: "UPDATE user_account SET role = ?, area_id = ? WHERE username = ?",
                           arguments: [role.rawValue, areaID, username])
            try audit(db, "user.update", target: username, details: ["role": role.rawValue, "area": areaID ?? ""], origin: origin)
            return try Self.requireUser(db, username)
        }
    }

    /// Disables or enables an account. A disabled user cannot log in and their tokens are gone at
    /// once; the last enabled system-wide admin cannot be disabled.
    public func setUserDisabled(_ username: String, _ disabled: Bool, origin: AuditOrigin) async throws(StoreError) -> User {
        let now = options.now()
        return try await write { db in
            let old = try Self.requireUser(db, username)
            guard old.isDisabled != disabled else { return old }
            if disabled, old.role == .admin, old.areaID == nil, try Self.systemAdminCount(db) <= 1 {
                throw StoreError.inUse(kind: "user", id: username, reason:
                    "it is the last system-wide admin; make another user admin first (or on the controller machine: loa-controller admin user set-role USER admin)")
            }
            try db.execute(sql: "UPDATE user_account SET disabled_at = ? WHERE username = ?",
                           arguments: [disabled ? now.millisecondsSince1970 : nil, username])
            if disabled { try db.execute(sql: "DELETE FROM api_token WHERE username = ?", arguments: [username]) }
            try audit(db, disabled ? "user.disable" : "user.enable", target: username, origin: origin)
            return try Self.requireUser(db, username)
        }
    }

    public func setPassword(_ username: String, password: String, origin: AuditOrigin) async throws(StoreError) {
        try Self.checkPassword(password, username: username)
        let hash = try await options.passwordHasher.hashInBackground(password)
        try await write { db in
            _ = try Self.requireUser(db, username)
            try db.execute(sql: "UPDATE user_account SET password_hash = ? WHERE username = ?", arguments: [hash, username])
            try audit(db, "user.set-password", target: username, origin: origin)
        }
    }

    public func verifyPassword(username: String, password: String) async throws(StoreError) -> User? {
        let found = try await read { db -> (User, String)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM user_account WHERE username = ?", arguments: [username]) else {
                return nil
            }
            return (User(row: row), row["password_hash"])
        }
        let hasher = options.passwordHasher
        guard let (user, stored) = found else {
            // Spend the same time as for a real user, so timing does not tell who exists.
            _ = await hasher.verifyInBackground(password, against: Self.decoyHash(hasher))
            return nil
        }
        guard await hasher.verifyInBackground(password, against: stored) else { return nil }
        if hasher.needsRehash(stored) {
            let upgraded = try await hasher.hashInBackground(password)
            try await write { db in
                try db.execute(sql: "UPDATE user_account SET password_hash = ? WHERE username = ?", arguments: [upgraded, username])
            }
        }
        return user
    }

    /// A well-formed hash that no password matches, at the configured cost.
    private static func decoyHash(_ hasher: PasswordHasher) -> String {
        "$scrypt$ln=\(hasher.logRounds),r=\(hasher.blockSize),p=\(hasher.parallelism)$"
            + "AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    }

    /// A broadcaster works for one commune's station: without an area it would see and
    /// schedule every gateway of the system.
    private static func checkArea(_ areaID: String?, role: User.Role, username: String) throws(StoreError) {
        if role.needsArea && areaID == nil {
            throw .invalid(kind: "user", id: username, reason: "a \(role.rawValue) needs an area (their commune); give 'areaId'")
        }
    }

    /// Enabled admins without an area: the users who can manage everything, of whom one must remain.
    static func systemAdminCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user_account WHERE role = 'admin' AND area_id IS NULL AND disabled_at IS NULL") ?? 0
    }

    private static func checkPassword(_ password: String, username: String) throws(StoreError) {
        guard password.count >= 8 else {
            throw .invalid(kind: "user", id: username, reason: "a password needs at least 8 characters")
        }
    }

    static func findUser(_ db: Database, _ username: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM user_account WHERE username = ?", arguments: [username]).map(User.init(row:))
    }

    static func requireUser(_ db: Database, _ username: String) throws -> User {
        guard let user = try findUser(db, username) else { throw StoreError.notFound(kind: "user", id: username) }
        return user
    }
}
