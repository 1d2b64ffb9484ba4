/// Users, their password hashes and their roles.
public protocol UserRepository: Sendable {
    func createUser(
        username: String, password: String, role: User.Role, areaID: String?, origin: AuditOrigin
    ) async throws(StoreError) -> User
    func user(_ username: String) async throws(StoreError) -> User
    /// Every user, by username.
    func users() async throws(StoreError) -> [User]
    func updateUser(_ username: String, role: User.Role, areaID: String?, origin: AuditOrigin) async throws(StoreError) -> User
    func setPassword(_ username: String, password: String, origin: AuditOrigin) async throws(StoreError)
    /// Disables (no login, tokens gone) or enables an account; never the last enabled system-wide admin.
    func setUserDisabled(_ username: String, _ disabled: Bool, origin: AuditOrigin) async throws(StoreError) -> User
    /// The user when the password matches; `nil` for a wrong password or an unknown user alike.
    func verifyPassword(username: String, password: String) async throws(StoreError) -> User?
}
