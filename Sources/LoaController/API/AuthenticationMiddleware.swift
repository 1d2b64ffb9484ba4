import Hummingbird

/// Reads `Authorization: Bearer TOKEN`, finds the token's user (unexpired, read afresh so role
/// changes apply at once) and their area scope, and puts them in the context; else 401.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let services: APIServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this route needs a token: log in (POST /api/v1/login) and send 'Authorization: Bearer TOKEN'")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer TOKEN'")
        }
        let token = LoginToken(value: String(parts[1]).trimmingCharacters(in: .whitespaces))
        guard let user = try await services.store.tokenUser(sha256: token.sha256, at: services.now()) else {
            throw APIError.unauthorized("the token is unknown or has expired; log in again")
        }
        var context = context
        context.caller = Caller(user: user, scope: try await services.scope(for: user), tokenSHA256: token.sha256)
        return try await next(request, context)
    }
}
