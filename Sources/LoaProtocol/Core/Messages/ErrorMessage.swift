/// `error` (0x0F, either way, JSON): a code from `ErrorCode` (kept raw so a newer peer's codes
/// still decode), a human message, and an optional retry delay.
public struct ErrorMessage: Codable, Equatable, Sendable {
    public var code: UInt16
    public var message: String
    public var retryAfterSeconds: Int64?

    public init(code: UInt16, message: String, retryAfterSeconds: Int64? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public init(_ error: ProtocolError) {
        self.init(code: error.code.rawValue, message: error.wireMessage, retryAfterSeconds: error.retryAfterSeconds)
    }

    /// Whether the sender closes after this frame (codes below 100).
    public var isFatal: Bool { code < 100 }
}
