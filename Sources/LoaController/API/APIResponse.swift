import Foundation
import Hummingbird

/// Builds the API's responses: JSON bodies with a status, errors, raw bytes.
enum APIResponse {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try APIJSON.encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func noContent() -> Response { Response(status: .noContent) }

    static func bytes(_ bytes: some Sequence<UInt8>, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ error: APIError) -> Response {
        struct Body: Encodable {
            struct Inner: Encodable {
                let code: String
                let message: String
                let requestId: String?
            }
            let error: Inner
        }
        let body = Body(error: .init(code: error.code, message: error.message, requestId: error.requestID))
        let data = (try? APIJSON.encoder.encode(body)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter = error.retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
