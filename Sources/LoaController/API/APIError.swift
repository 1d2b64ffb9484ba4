import Foundation
import Hummingbird

/// An API refusal: HTTP status, a stable snake_case code, and a message a person can act on.
/// Written as `{"error": {"code", "message"}}` by `APIErrorMiddleware`.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    /// Seconds for `Retry-After` (429, 503).
    public var retryAfter: Int?
    /// Names the log line of a 500, whose details stay in the controller's log.
    public var requestID: String?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// What a client hears of an internal error: nothing of its text (paths, SQL, library
    /// messages), only an id to find the controller's log line by.
    public static func internalFailure(requestID: String) -> APIError {
        var error = APIError(.internalServerError, "internal",
                             "internal error; the controller's log has the details under request id \(requestID)")
        error.requestID = requestID
        return error
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    public static func invalidJSON(_ message: String) -> APIError { APIError(.badRequest, "invalid_json", message) }
    public static func validation(_ message: String) -> APIError { APIError(.unprocessableContent, "validation_failed", message) }
    public static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    public static func conflict(_ message: String, code: String = "conflict") -> APIError { APIError(.conflict, code, message) }
    public static func payloadTooLarge(_ message: String) -> APIError { APIError(.contentTooLarge, "payload_too_large", message) }
    public static func unsupportedMedia(_ message: String) -> APIError { APIError(.unsupportedMediaType, "unsupported_media", message) }
    public static func rateLimited(retryAfter: Int) -> APIError {
        APIError(.tooManyRequests, "rate_limited",
                 "too many failed logins for this user from this address; try again in \(retryAfter) s", retryAfter: retryAfter)
    }
    /// The ingest queue is full: 503 with `Retry-After`.
    public static func ingestBusy(_ message: String, retryAfter: Int) -> APIError {
        APIError(.serviceUnavailable, "ingest_busy", message, retryAfter: retryAfter)
    }
    public static func internalError(_ message: String) -> APIError { APIError(.internalServerError, "internal", message) }
    /// A part of this machine the request needs is missing or broken (speech synthesis).
    public static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, "unavailable", message) }

    /// Refuses unless the decision allows.
    static func check(_ decision: AccessDecision) throws(APIError) {
        guard decision.isAllowed else { throw forbidden(decision.message) }
    }
}

extension APIError {
    /// The store's refusals as HTTP: unknown ids 404, duplicates and wrong transitions 409,
    /// invalid values 422, everything about the disk or database 500.
    init(_ error: StoreError) {
        switch error {
        case .notFound: self = .notFound(error.description)
        case .alreadyExists, .bulletinTransitionRefused, .inUse, .mismatch: self = .conflict(error.description)
        case .invalid, .constraint: self = .validation(error.description)
        case .keyFile, .secretUnreadable, .content, .database: self = .internalError(error.description)
        }
    }

    /// Ingest refusals: not audio 415, too large 413, damaged, silent or too long 422.
    init(_ error: IngestError) {
        switch error {
        case .empty: self = .badRequest(error.description)
        case .tooLarge: self = .payloadTooLarge(error.description)
        case .notAudio: self = .unsupportedMedia(error.description)
        case .corrupt, .tooLong, .silent: self = .validation(error.description)
        case .encodingFailed, .storage: self = .internalError(error.description)
        case .busy(let seconds): self = .ingestBusy(error.description, retryAfter: seconds)
        }
    }

    init(_ error: FleetError) {
        self = .conflict(error.description, code: "gateway_offline")
    }

    /// The metrics label of an ingest refusal.
    static func ingestOutcome(_ error: IngestError) -> String {
        switch error {
        case .empty: return "empty"
        case .tooLarge: return "too_large"
        case .notAudio: return "not_audio"
        case .corrupt: return "corrupt"
        case .tooLong: return "too_long"
        case .silent: return "silent"
        case .encodingFailed: return "encoding_failed"
        case .storage: return "storage_failed"
        case .busy: return "busy"
        }
    }
}
