import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends `APIRequest`s with URLSession and turns answers into JSON or an `APIFailure`.
struct APIClient: Sendable {
    var connection: Connection
    var timeout: TimeInterval = 60

    func send(_ request: APIRequest) async throws -> APIResponse {
        guard let url = request.url(base: connection.controller) else {
            throw APIFailure.usage("cannot build a URL from \(connection.controller.absoluteString) and \(request.path)")
        }
        var http = URLRequest(url: url, timeoutInterval: timeout)
        http.httpMethod = request.method
        http.setValue(request.accept, forHTTPHeaderField: "Accept")
        if let type = request.contentType { http.setValue(type, forHTTPHeaderField: "Content-Type") }
        if request.authenticated, let token = connection.token { http.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data, response: URLResponse
        do {
            let session = URLSession(configuration: .ephemeral)
            defer { session.finishTasksAndInvalidate() }
            if let body = request.body {
                (data, response) = try await session.upload(for: http, from: body)
            } else {
                (data, response) = try await session.data(for: http)
            }
        } catch {
            throw APIFailure.unreachable(controller: connection.controller.absoluteString, reason: error.localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else { throw APIFailure.badResponse("not an HTTP answer") }
        let answer = APIResponse(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
                                 retryAfter: http.value(forHTTPHeaderField: "Retry-After"), body: data)
        guard (200..<300).contains(answer.status) else { throw APIFailure.from(answer) }
        return answer
    }

    /// Sends and parses the JSON answer (an empty 204 gives `.null`).
    func json(_ request: APIRequest) async throws -> JSONValue {
        let answer = try await send(request)
        if answer.body.isEmpty { return .null }
        guard let json = answer.json else {
            throw APIFailure.badResponse("\(request.method) \(request.path) answered \(answer.status) with a body that is not JSON")
        }
        return json
    }

    /// Follows `next` cursors until `limit` items are collected (or the list ends).
    func list(_ request: APIRequest, limit: Int, all: Bool) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var page = request
        page.query.removeAll { $0.0 == "limit" || $0.0 == "cursor" }
        let base = page.query
        var cursor: String?
        repeat {
            page.query = base + [("limit", String(min(1000, all ? 1000 : limit - items.count)))] + (cursor.map { [("cursor", $0)] } ?? [])
            let answer = try await json(page)
            items += answer.items
            cursor = answer["next"]?.string
        } while cursor != nil && (all || items.count < limit)
        return all ? items : Array(items.prefix(limit))
    }
}
