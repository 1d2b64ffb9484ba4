import ArgumentParser
import Foundation

/// Why an API command failed, with the message a person acts on and the sysexits code a script
/// branches on.
enum APIFailure: Error, Equatable, CustomStringConvertible {
    /// The controller answered with an error body (`{"error":{"code","message"}}`).
    case server(status: Int, code: String, message: String, retryAfter: String?)
    /// No TCP connection / HTTP exchange with the controller.
    case unreachable(controller: String, reason: String)
    /// An answer that is not what the contract promises.
    case badResponse(String)
    /// No controller URL or token: the person has to log in first.
    case notLoggedIn(String)
    /// A bad option value or argument the server never saw.
    case usage(String)
    /// A local file that cannot be read or written.
    case file(String, status: Int32)
    /// The gateway answered a command with `ok: false`.
    case refused(String)

    /// Builds the failure for a non-2xx answer from its error body (or, failing that, the status).
    static func from(_ response: APIResponse) -> APIFailure {
        let error = response.json?["error"]
        let code = error?["code"]?.string ?? Self.defaultCode(response.status)
        let message = error?["message"]?.string
            ?? (String(data: response.body.prefix(300), encoding: .utf8).flatMap { $0.isEmpty ? nil : $0 }
                ?? "HTTP \(response.status) with no message")
        return .server(status: response.status, code: code, message: message, retryAfter: response.retryAfter)
    }

    static func defaultCode(_ status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media"
        case 422: "validation_failed"
        case 429: "rate_limited"
        default: "http_\(status)"
        }
    }

    var description: String {
        switch self {
        case .server(let status, let code, let message, let retryAfter):
            var text = "\(message) (\(code), HTTP \(status))"
            if status == 401 && code == "unauthorized" && !message.lowercased().contains("password") {
                text += "; log in again with 'loactl login'"
            }
            if let retryAfter { text += "; retry after \(retryAfter) s" }
            return text
        case .unreachable(let controller, let reason):
            return "cannot reach the controller at \(controller): \(reason) (is loa-controller running, and is its [http] listen address this one?)"
        case .badResponse(let text): return "unexpected answer from the controller: \(text)"
        case .notLoggedIn(let text), .usage(let text): return text
        case .file(let text, _): return text
        case .refused(let text): return "the gateway refused: \(text)"
        }
    }

    /// sysexits.h: 64 usage, 65 data error, 66 no input, 69 unavailable, 73 cannot create,
    /// 75 temporary failure, 76 protocol error, 77 permission denied.
    var exitStatus: Int32 {
        switch self {
        case .server(let status, let code, _, _):
            switch (status, code) {
            case (_, "gateway_offline"): return ExitStatus.unavailable
            case (401, _), (403, _): return ExitStatus.noPermission
            case (429, _), (503, _): return ExitStatus.temporaryFailure
            case (400..<500, _): return ExitStatus.dataError
            default: return ExitStatus.unavailable
            }
        case .unreachable: return ExitStatus.unavailable
        case .badResponse: return ExitStatus.protocolError
        case .notLoggedIn: return ExitStatus.noPermission
        case .usage: return ExitStatus.usage
        case .file(_, let status): return status
        case .refused: return ExitStatus.unavailable
        }
    }
}

extension ExitStatus {
    static let temporaryFailure: Int32 = 75 // rate limited; try again later
    static let protocolError: Int32 = 76    // the controller's answer is not what the API promises
    static let noPermission: Int32 = 77     // not logged in, wrong password, or not allowed
}

/// Runs an API command body, turning an `APIFailure` into one line on stderr and its exit code.
func reportingAPIFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as APIFailure {
        throw fail(failure.description, status: failure.exitStatus)
    }
}
