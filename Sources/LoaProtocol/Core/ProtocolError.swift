/// Everything that can go wrong on a Loa gateway connection, with a message a person can act on.
public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    case frameTooLarge(length: UInt32, limit: UInt32)
    case emptyFrame
    case truncatedFrame(expected: Int, available: Int)
    case unknownMessageType(UInt8)
    case invalidPayload(type: String, reason: String)
    case unexpectedMessage(type: String, state: String)
    case unsupportedVersion(offered: ClosedRange<UInt16>, supported: ClosedRange<UInt16>)
    /// After a proof against a decoy key: to the peer it is a wrong secret like any other.
    case unknownGateway(gatewayID: String, attempt: Int, retryAfterSeconds: Int64)
    case wrongSecret(gatewayID: String, attempt: Int, retryAfterSeconds: Int64)
    case throttled(key: String, retryAfterSeconds: Int64)
    case replayedNonce(gatewayID: String)
    case controllerProofInvalid
    case handshakeTimedOut(seconds: Int64)
    case heartbeatTimedOut(seconds: Int64)
    case contentOutOfOrder(expectedOffset: UInt64, receivedOffset: UInt64)
    case contentSizeMismatch(expected: UInt64, received: UInt64)
    case contentHashMismatch(expected: String, computed: String)
    case contentHashUnexpected(expected: String, received: String)
    case remote(code: UInt16, message: String)

    /// The code sent on the wire for this error.
    public var code: ErrorCode {
        switch self {
        case .frameTooLarge: .frameTooLarge
        case .emptyFrame, .truncatedFrame: .malformedFrame
        case .unknownMessageType: .unknownMessageType
        case .invalidPayload: .invalidPayload
        case .unexpectedMessage: .unexpectedMessage
        case .unsupportedVersion: .unsupportedVersion
        case .unknownGateway, .wrongSecret: .authenticationFailed
        case .throttled: .throttled
        case .replayedNonce: .replayedNonce
        case .controllerProofInvalid: .controllerAuthenticationFailed
        case .handshakeTimedOut: .handshakeTimeout
        case .heartbeatTimedOut: .heartbeatTimeout
        case .contentOutOfOrder, .contentHashUnexpected: .contentOutOfOrder
        case .contentSizeMismatch: .contentSizeMismatch
        case .contentHashMismatch: .contentHashMismatch
        case .remote(let code, _): ErrorCode(rawValue: code) ?? .invalidPayload
        }
    }

    /// The message sent to the peer. Authentication failures are deliberately vague on the
    /// wire (an unknown gateway and a wrong secret look the same); logs get `description`.
    public var wireMessage: String {
        switch self {
        case .unknownGateway, .wrongSecret: "authentication failed"
        case .throttled(_, let seconds): "too many failed attempts; retry in \(seconds) s"
        default: description
        }
    }

    /// Seconds the peer should wait before retrying, when the error says so.
    public var retryAfterSeconds: Int64? {
        switch self {
        case .wrongSecret(_, _, let s), .unknownGateway(_, _, let s), .throttled(_, let s): s
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let limit):
            "frame length \(length) exceeds the limit of \(limit) bytes (raise maxFrameLength on both ends or send smaller chunks)"
        case .emptyFrame: "frame length 0: every frame needs at least its type byte"
        case .truncatedFrame(let expected, let available):
            "connection ended inside a frame: \(available) of \(expected) bytes received"
        case .unknownMessageType(let type):
            "unknown message type 0x\(Hex.byte(type)) (peer speaks a newer protocol without negotiating it?)"
        case .invalidPayload(let type, let reason): "invalid \(type) payload: \(reason)"
        case .unexpectedMessage(let type, let state): "message '\(type)' is not allowed in state '\(state)'"
        case .unsupportedVersion(let offered, let supported):
            "no common protocol version: peer offers \(offered.lowerBound)...\(offered.upperBound), this side speaks \(supported.lowerBound)...\(supported.upperBound); upgrade the older side"
        case .unknownGateway(let id, let attempt, let seconds):
            "gateway '\(id)': not registered on this controller (add it, or check gateway.id in its config; attempt \(attempt), next allowed in \(seconds) s)"
        case .wrongSecret(let id, let attempt, let seconds):
            "gateway '\(id)': wrong secret (attempt \(attempt), next allowed in \(seconds) s)"
        case .throttled(let key, let seconds): "\(key): too many failed handshakes, next allowed in \(seconds) s"
        case .replayedNonce(let id): "gateway '\(id)': hello nonce was already used (replayed handshake?)"
        case .controllerProofInvalid:
            "controller failed to prove it knows this gateway's secret (wrong controller address, or the secret differs)"
        case .handshakeTimedOut(let s): "handshake not finished within \(s) s"
        case .heartbeatTimedOut(let s): "nothing received for \(s) s; the link is presumed dead"
        case .contentOutOfOrder(let expected, let received):
            "content chunk at offset \(received), expected offset \(expected); request again from \(expected)"
        case .contentSizeMismatch(let expected, let received):
            "content size mismatch: end says \(expected) bytes, \(received) received"
        case .contentHashMismatch(let expected, let computed):
            "content hash mismatch: expected sha256 \(expected), computed \(computed); the partial file is discarded"
        case .contentHashUnexpected(let expected, let received):
            "content chunk for sha256 \(received) while receiving \(expected)"
        case .remote(let code, let message): "peer reported error \(code): \(message)"
        }
    }
}
