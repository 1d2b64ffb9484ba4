/// Why the control socket refused a request; the text goes back to `loactl` as the answer's
/// `error`, so it says what to change.
public enum ControlError: Error, Hashable, Sendable, CustomStringConvertible {
    case requestTooLong(bytes: Int, limit: Int)
    case malformed(String)
    case unknownCommand(String)
    case outOfRange(field: String, value: String, allowed: String)
    /// The gateway understood the request but cannot do it now (no volume control, …).
    case unavailable(String)

    public var description: String {
        switch self {
        case .requestTooLong(let bytes, let limit):
            return "request refused: \(bytes > limit ? "over \(limit)" : "\(bytes)") bytes; at most \(limit) bytes on one line"
        case .malformed(let reason):
            return "malformed request: \(reason)"
        case .unknownCommand(let command):
            return "unknown command \"\(command)\"; use status, schedule, cache, volume, testTone or logs"
        case .outOfRange(let field, let value, let allowed):
            return "\(field) \(value) is out of range; allowed \(allowed)"
        case .unavailable(let reason):
            return reason
        }
    }
}
