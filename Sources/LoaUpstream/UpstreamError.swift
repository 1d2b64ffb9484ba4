/// Why an upstream source could not be read, in words an operator can act on; each names the URL.
public enum UpstreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Connecting or opening failed: refused, not found (404), a redirect loop, a bad address.
    case unreachable(url: String, reason: String)
    /// It answered, but with no audio stream in it (an HTML page, random bytes, video only).
    case notAudio(url: String, reason: String)
    /// Nothing arrived for `seconds` (opening or mid-stream).
    case stalled(url: String, seconds: Double)
    /// Audio was found but could not be decoded or converted.
    case decodeFailed(url: String, reason: String)
    /// `cancel()` was called.
    case cancelled(url: String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason): "cannot open upstream \(url): \(reason)"
        case let .notAudio(url, reason): "upstream \(url) is not an audio stream: \(reason)"
        case let .stalled(url, seconds): "upstream \(url) sent nothing for \(Self.format(seconds)) s"
        case let .decodeFailed(url, reason): "cannot decode upstream \(url): \(reason)"
        case let .cancelled(url): "reading upstream \(url) was stopped"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String((seconds * 10).rounded() / 10)
    }
}
