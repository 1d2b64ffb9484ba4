import Foundation
import Hummingbird
import Logging

/// The outermost middleware: turns anything a handler throws into the JSON error body, and
/// counts every request by method, route template and status for `/metrics`.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let metrics: ControllerMetrics
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // No route took the request: a wrong method on a known path is 405, not 404.
            let allowed = routes.allowed(at: request.uri.path)
            if allowed.isEmpty {
                response = APIResponse.error(Self.apiError(for: error))
            } else {
                var answer = APIResponse.error(APIError(.methodNotAllowed, "method_not_allowed",
                                                        "\(request.method.rawValue) is not allowed here; this route takes \(allowed.joined(separator: ", "))"))
                answer.headers[.allow] = allowed.joined(separator: ", ")
                response = answer
            }
        } catch {
            var apiError = Self.apiError(for: error)
            if apiError.status == .internalServerError {
                let id = Self.makeRequestID()
                context.logger.error("request failed", metadata: [
                    "error": "\(error)", "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)",
                    "request.id": "\(id)",
                ])
                apiError = .internalFailure(requestID: id)
            }
            response = APIResponse.error(apiError)
        }
        metrics.httpRequest(method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                            status: response.status.code)
        return response
    }

    /// 12 hex digits: enough to find one line in a day's log.
    static func makeRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as StoreError: return APIError(error)
        case let error as IngestError: return APIError(error)
        case let error as FleetError: return APIError(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("no such route; the API lives under /api/v1 (see docs/openapi.yaml)")
            case .contentTooLarge: return .payloadTooLarge("the request body is too large")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "method_not_allowed", "this route does not take that method")
            default:
                return APIError(error.status, error.status.code < 500 ? "bad_request" : "internal",
                                error.body ?? error.status.reasonPhrase)
            }
        case let error as DecodingError: return APIJSON.describe(error)
        case let error as any HTTPResponseError:
            if error.status == .contentTooLarge { return .payloadTooLarge("the request body is too large") }
            return APIError(error.status, error.status.code < 500 ? "bad_request" : "internal", error.status.reasonPhrase)
        default: return .internalError("unexpected error: \(error)")
        }
    }
}
