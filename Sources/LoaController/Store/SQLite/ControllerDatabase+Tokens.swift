import Foundation
import GRDB

extension ControllerDatabase: TokenRepository {
    public func storeToken(sha256: String, username: String, expiresAt: Date, address: String?) async throws(StoreError) {
        let now = options.now().millisecondsSince1970
        try await write { db in
            _ = try Self.requireUser(db, username)
            try db.execute(sql: """
                INSERT INTO api_token (token_sha256, username, created_at, expires_at, address) VALUES (?, ?, ?, ?, ?)
                """, arguments: [sha256, username, now, expiresAt.millisecondsSince1970, address])
        }
    }

    public func tokenUser(sha256: String, at: Date) async throws(StoreError) -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT u.* FROM api_token t JOIN user_account u ON u.username = t.username
                WHERE t.token_sha256 = ? AND t.expires_at > ? AND u.disabled_at IS NULL
                """, arguments: [sha256, at.millisecondsSince1970]).map(User.init(row:))
        }
    }

    public func deleteToken(sha256: String) async throws(StoreError) {
        try await write { db in try db.execute(sql: "DELETE FROM api_token WHERE token_sha256 = ?", arguments: [sha256]) }
    }

    @discardableResult
    public func deleteExpiredTokens(before date: Date) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_token WHERE expires_at <= ?", arguments: [date.millisecondsSince1970])
            return db.changesCount
        }
    }
}
