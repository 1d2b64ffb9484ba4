import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Listen URLs: anyone holding a stream's listen key (or an operator's token) hears the MP3 the
/// gateways get, joining at any moment; an area's URL carries whatever is on air there now.
/// Listeners share one buffer per payload in the hub; a slow one is cut loose (`LiveHub.listen`).
extension APIHandlers {
    /// `GET /api/v1/live/{id}/listen?key=…`: the stream from the next payload until it ends.
    func listenLiveStream(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let stream = try await liveStream(context)
        let key = request.uri.queryParameters["key"].map(String.init)
        if let key, let listenKey = stream.listenKey, Self.constantTimeEqual(key, listenKey) {
            return try await listenResponse(stream.id, title: stream.title, context)
        }
        guard key == nil else {
            throw APIError.unauthorized("wrong listen key for live stream \(stream.id); use the listen URL the stream shows")
        }
        let caller = try await listener(request)
        try APIError.check(caller.decide(.read, areas: [stream.areaID], seeing: true))
        return try await listenResponse(stream.id, title: stream.title, context)
    }

    /// `GET /api/v1/areas/{id}/listen`: what the area's loudspeakers carry now (the live stream
    /// or relay on air for the area or one above it); 404 when nothing is on air there.
    func listenArea(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try await listener(request)
        let areaID = try parameter("id", context)
        let area = try await store.area(areaID)
        try APIError.check(caller.decide(.read, areas: [area.id], seeing: true))
        let onAir: Int64?
        do { onAir = try await services.live.onAir(forArea: area.id) } catch { throw APIError(error) }
        guard let id = onAir else {
            throw APIError.notFound("nothing is on air in area '\(area.id)' now; its listen URL carries live streams and relays while they play")
        }
        return try await listenResponse(id, title: try await store.liveStream(id).title, context)
    }

    /// The caller of a listen URL by token: `Authorization: Bearer` or `?token=` (an audio
    /// element cannot send headers).
    private func listener(_ request: Request) async throws -> Caller {
        var value = request.uri.queryParameters["token"].map(String.init)
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError.unauthorized("the Authorization header must be 'Bearer TOKEN'")
            }
            value = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        guard let value, !value.isEmpty else {
            throw APIError.unauthorized("a listen URL needs the stream's listen key (?key=…) or a token (?token=… or 'Authorization: Bearer TOKEN')")
        }
        let token = LoginToken(value: value)
        guard let user = try await store.tokenUser(sha256: token.sha256, at: services.now()) else {
            throw APIError.unauthorized("the token is unknown or has expired; log in again")
        }
        return Caller(user: user, scope: try await services.scope(for: user), tokenSHA256: token.sha256)
    }

    private func listenResponse(_ id: Int64, title: String, _ context: APIRequestContext) async throws -> Response {
        let audio: AsyncStream<ByteBuffer>
        do { audio = try await services.live.listen(id) } catch { throw APIError(error) }
        context.logger.info("live listener connected", metadata: ["live.id": "\(id)", "peer.address": "\(context.remoteAddress ?? "")"])
        var headers = HTTPFields()
        headers[.contentType] = "audio/mpeg"
        headers[.cacheControl] = "no-cache, no-store"
        headers[HTTPField.Name("icy-name")!] = Self.headerSafe(title)
        // An HTTP/1.0 client (mpg123) knows the end only by the connection closing.
        headers[.connection] = "close"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for await buffer in audio { try await writer.write(buffer) }
            context.closeConnectionAfterResponse()
            try await writer.finish(nil)
        })
    }

    /// A title as one header line: printable ASCII only (the rest becomes '?').
    static func headerSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { (0x20..<0x7f).contains($0.value) ? Character($0) : "?" })
    }
}
