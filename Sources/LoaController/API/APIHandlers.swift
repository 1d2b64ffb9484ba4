import Foundation
import Hummingbird

/// The route handlers, split by concern into `APIHandlers+<Concern>.swift`. Each one asks
/// `AccessPolicy` (through the caller) before it reads or changes anything.
struct APIHandlers: Sendable {
    let services: APIServices

    var store: any ControllerStore { services.store }

    /// A path parameter the route guarantees.
    func parameter(_ name: String, _ context: APIRequestContext) throws(APIError) -> String {
        guard let value = context.parameters.get(name) else { throw .badRequest("missing '\(name)' in the path") }
        return value
    }

    /// A query parameter, nil when absent. Present but empty (`?limit=`) is refused rather than
    /// read as absent: a client that sent it meant something.
    func query(_ request: Request, _ name: String) throws(APIError) -> String? {
        guard let value = request.uri.queryParameters.get(name) else { return nil }
        guard !value.isEmpty else { throw .validation("query parameter '\(name)' is empty; give a value or leave it out") }
        return value
    }

    func page(_ request: Request) throws(APIError) -> PageRequest {
        try PageRequest.from(limit: try query(request, "limit"), cursor: try query(request, "cursor"))
    }

    /// The area an optional `?area=` names, checked to exist and to be visible.
    func areaFilter(_ request: Request, _ caller: Caller) async throws -> String? {
        guard let areaID = try query(request, "area") else { return nil }
        _ = try await store.area(areaID)
        try APIError.check(caller.decide(.read, areas: [areaID], seeing: true))
        return areaID
    }

    // MARK: System

    func metrics(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        if !services.settings.metricsPublic {
            let user = try await authenticate(request)
            try APIError.check(AccessPolicy.decide(.readMetrics, role: user.role, scope: .everything))
        }
        let text = services.metrics.render(gatewaysOnline: services.fleet.onlineCount) + services.metrics.renderLink(services.linkMonitor)
        return APIResponse.bytes(Array(text.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    func console(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard services.settings.console, let asset = WebConsole.asset(forPath: request.uri.path) else {
            throw APIError.notFound("no console file at \(request.uri.path)")
        }
        var response = APIResponse.bytes(asset.body, contentType: asset.contentType)
        // The console is compiled into the binary: after an upgrade a browser must ask again
        // rather than mix cached old modules with the new API.
        response.headers[.cacheControl] = "no-cache"
        return response
    }

    /// For the few public routes that take a token optionally.
    private func authenticate(_ request: Request) async throws -> User {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
              let user = try await store.tokenUser(sha256: LoginToken(value: String(header.dropFirst(7))).sha256, at: services.now())
        else {
            throw APIError.unauthorized("metrics need an admin token here (http.metrics_public = false)")
        }
        return user
    }
}
