#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One request on the technician's control socket (`loactl gateway …`): a JSON object on one
/// line, e.g. `{"command":"volume","percent":80}`. The words and fields:
///
///     {"command":"status"}
///     {"command":"schedule","count":10}                    next plays, count 1–500 (default 10)
///     {"command":"cache"}
///     {"command":"volume"}  /  {"command":"volume","percent":80}   read / set (0–100) and persist
///     {"command":"testTone","seconds":3,"frequencyHz":1000} seconds 0.1–60 (default 3), 20–20000 Hz
///     {"command":"logs","lines":50}                         recent log lines, 1–1000 (default 50)
public enum ControlRequest: Hashable, Sendable {
    case status
    case schedule(count: Int)
    case cache
    case volume(percent: Int?)
    case testTone(seconds: Double, frequencyHz: Int)
    case logs(lines: Int)

    /// Longest request line the server reads; anything longer is refused without parsing.
    public static let maximumBytes = 4_096

    /// The wire object, all fields optional so a bad one can be named rather than a decode error.
    struct Wire: Codable {
        var command: String?
        var count: Int?
        var percent: Int?
        var seconds: Double?
        var frequencyHz: Int?
        var lines: Int?
    }

    /// Parses one request line (without its newline), checking every value's range.
    public static func parse(_ line: some Collection<UInt8>) throws(ControlError) -> ControlRequest {
        guard line.count <= maximumBytes else { throw .requestTooLong(bytes: line.count, limit: maximumBytes) }
        let wire: Wire
        do { wire = try JSONDecoder().decode(Wire.self, from: Data(line)) } catch {
            throw .malformed("not a JSON object with a \"command\" field (\(Self.describe(error)))")
        }
        guard let command = wire.command else { throw .malformed("the \"command\" field is missing") }
        func range<T: Comparable>(_ value: T?, _ name: String, _ bounds: ClosedRange<T>, default fallback: T) throws(ControlError) -> T {
            guard let value else { return fallback }
            guard bounds.contains(value) else { throw .outOfRange(field: name, value: "\(value)", allowed: "\(bounds.lowerBound)–\(bounds.upperBound)") }
            return value
        }
        switch command {
        case "status": return .status
        case "schedule": return .schedule(count: try range(wire.count, "count", 1...500, default: 10))
        case "cache": return .cache
        case "volume":
            if let percent = wire.percent { return .volume(percent: try range(percent, "percent", 0...100, default: percent)) }
            return .volume(percent: nil)
        case "testTone":
            return .testTone(seconds: try range(wire.seconds, "seconds", 0.1...60, default: 3),
                             frequencyHz: try range(wire.frequencyHz, "frequencyHz", 20...20_000, default: 1_000))
        case "logs": return .logs(lines: try range(wire.lines, "lines", 1...1_000, default: 50))
        default: throw .unknownCommand(command)
        }
    }

    /// The request as one JSON line (without the newline), as `loactl` sends it.
    public var encoded: [UInt8] {
        var wire = Wire()
        switch self {
        case .status: wire.command = "status"
        case .schedule(let count): wire.command = "schedule"; wire.count = count
        case .cache: wire.command = "cache"
        case .volume(let percent): wire.command = "volume"; wire.percent = percent
        case .testTone(let seconds, let hz): wire.command = "testTone"; wire.seconds = seconds; wire.frequencyHz = hz
        case .logs(let lines): wire.command = "logs"; wire.lines = lines
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array((try? encoder.encode(wire)) ?? Data())
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.typeMismatch(_, let context) = error {
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        }
        if case DecodingError.dataCorrupted = error { return "invalid JSON" }
        return "\(error)"
    }
}
