import Foundation
import Hummingbird

/// JSON and time conventions of the API: camelCase keys, RFC 3339 UTC times with milliseconds.
enum APIJSON {
    /// A new one each time: JSONEncoder is not Sendable.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `2026-11-29T06:23:17.123Z`.
    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func time(_ date: Date?) -> String? { date.map { time($0) } }

    /// RFC 3339 with or without fractional seconds, any offset.
    static func parseTime(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Reads the whole body (up to `limit`) and decodes it; malformed JSON is 400 `invalid_json`,
    /// a missing or mistyped field 422 `validation_failed`, and so is `null` for an optional
    /// field the contract does not declare nullable (Swift's decoder would read it as "absent").
    static func decode<T: APIBody>(_ type: T.Type, from request: Request, limit: Int = 1 << 20) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError.payloadTooLarge("a JSON body is limited to \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else { throw APIError.invalidJSON("the request needs a JSON body") }
        let data = Data(buffer.readableBytesView)
        try refuseNulls(in: data, refused: T.notNullableFields)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        }
    }

    /// Refuses a top-level `"key": null` for the optional fields that may be left out but not
    /// be null. Required fields fail in the decoder; unknown keys are ignored as before. Bodies
    /// that are not a JSON object are left to the decoder's own error.
    static func refuseNulls(in data: Data, refused: Set<String>) throws(APIError) {
        guard !refused.isEmpty, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        for key in object.keys.sorted() where object[key] is NSNull && refused.contains(key) {
            throw .validation("'\(Identifier.escaped(key))' must not be null; leave it out to keep the current value or the default")
        }
    }

    static func describe(_ error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "'\(keys.joined(separator: "."))'"
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .invalidJSON("the body is not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
        case .dataCorrupted(let context):
            return .validation("\(path(context)): \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            let at = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return .validation("missing field '\(key.stringValue)'\(at)")
        case .typeMismatch(let type, let context):
            return .validation("\(path(context)) must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return .validation("\(path(context)) must be \(describe(type)), not null")
        @unknown default:
            return .invalidJSON("the body could not be read: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is UInt8.Type, is Int32.Type, is UInt32.Type, is UInt16.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is [String].Type, is [Int].Type: return "an array"
        default: return "of type \(type)"
        }
    }
}
