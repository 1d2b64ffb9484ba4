import Foundation
import Hummingbird

extension APIHandlers {
    /// Five failures per username and address within five minutes lock that pair out (429) for
    /// the rest of the window; a success clears the count.
    func login(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let input = try await APIJSON.decode(LoginInput.self, from: request)
        let key = LoginThrottle.key(username: input.username, address: context.remoteAddress)
        let now = services.now()
        if let wait = services.throttle.withLock({ $0.retryAfter(key, now: now) }) {
            throw APIError.rateLimited(retryAfter: wait)
        }
        guard let user = try await store.verifyPassword(username: input.username, password: input.password) else {
            services.throttle.withLock { $0.recordFailure(key, now: now) }
            try? await store.appendAudit(action: "user.login.failed", target: input.username, details: [:],
                                         origin: AuditOrigin(actor: "anonymous", address: context.remoteAddress))
            throw APIError.unauthorized("wrong username or password")
        }
        services.throttle.withLock { $0.recordSuccess(key) }
        // Said only to someone who knows the password: the account exists and is switched off.
        guard !user.isDisabled else {
            try? await store.appendAudit(action: "user.login.disabled", target: user.username, details: [:],
                                         origin: AuditOrigin(actor: user.username, address: context.remoteAddress))
            throw APIError.unauthorized("this account is disabled; ask an admin to enable it")
        }
        let token = LoginToken.random()
        let expiresAt = now.addingTimeInterval(TimeInterval(services.settings.tokenTTLSeconds))
        try await store.deleteExpiredTokens(before: now)
        try await store.storeToken(sha256: token.sha256, username: user.username, expiresAt: expiresAt, address: context.remoteAddress)
        try? await store.appendAudit(action: "user.login", target: user.username, details: [:],
                                     origin: AuditOrigin(actor: user.username, address: context.remoteAddress))
        return try APIResponse.json(LoginOutput(token: token.value, expiresAt: APIJSON.time(expiresAt), user: APIUser(user)))
    }

    func logout(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try await store.deleteToken(sha256: try context.requireCaller().tokenSHA256)
        return APIResponse.noContent()
    }

    /// The caller with their allowed actions and the priority bands.
    func me(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try APIResponse.json(APIMe(try context.requireCaller().user, approvalRequired: services.settings.approvalRequired))
    }
}
