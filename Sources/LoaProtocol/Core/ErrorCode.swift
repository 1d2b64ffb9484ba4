/// The numeric error codes carried in `error` frames (type 0x0F).
///
/// Codes below 100 are fatal: the sender closes the connection after the frame.
/// Codes from 100 up report a failed request and leave the session open.
public enum ErrorCode: UInt16, Sendable, Codable, CaseIterable {
    case malformedFrame = 1
    case frameTooLarge = 2
    case unknownMessageType = 3
    case invalidPayload = 4
    case unexpectedMessage = 5
    case unsupportedVersion = 6
    case authenticationFailed = 10
    case replayedNonce = 11
    case throttled = 12
    case controllerAuthenticationFailed = 13
    case handshakeTimeout = 14
    case heartbeatTimeout = 20
    case shuttingDown = 21
    case contentNotFound = 100
    case contentOutOfOrder = 101
    case contentSizeMismatch = 102
    case contentHashMismatch = 103
    case commandRefused = 110

    /// Whether the sender closes the connection after sending this code.
    public var isFatal: Bool { rawValue < 100 }
}
