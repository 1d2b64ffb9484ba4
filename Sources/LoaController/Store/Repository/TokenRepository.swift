import Foundation

/// Login tokens of the HTTP API. Only a token's SHA-256 is stored, so reading the database (or a
/// backup of it) does not give anyone a usable token; a restart of the controller keeps sessions.
public protocol TokenRepository: Sendable {
    func storeToken(sha256: String, username: String, expiresAt: Date, address: String?) async throws(StoreError)
    /// The user a token belongs to, read afresh (so a role change applies at once); nil when the
    /// token is unknown or expired at `at`.
    func tokenUser(sha256: String, at: Date) async throws(StoreError) -> User?
    func deleteToken(sha256: String) async throws(StoreError)
    /// Removes tokens that expired before `date`; returns how many.
    @discardableResult
    func deleteExpiredTokens(before date: Date) async throws(StoreError) -> Int
}
