/// What a session state machine asks its channel handler to do. The handler performs it;
/// the machine itself never touches a socket.
public enum SessionAction: Equatable, Sendable {
    /// Nothing to do.
    case none
    /// Write this message.
    case send(Message)
    /// Hand this message to the application.
    case deliver(Message)
    /// Hand a finished clock exchange to the application (gateway side).
    case deliverClockSample(ClockSample)
    /// The handshake finished: write `reply` if any, then tell the application.
    case sessionReady(gatewayID: String, version: UInt16, heartbeatSeconds: UInt32, reply: Message?)
    /// Controller side: look up the gateway, check throttles and replays, then call
    /// `helloAccepted` or `helloRejected`.
    case verifyHello(Hello)
    /// Controller side: the gateway's proof was wrong; record the failure with the throttle
    /// and call `rejected(_:)` with the resulting error.
    case rejectProof(gatewayID: String)
    /// Write an error frame for `error` (when `notifyPeer`), then close.
    case closeWithError(ProtocolError, notifyPeer: Bool)
    /// Close without an error frame (orderly shutdown).
    case close
}

/// How a state machine names its state in errors ("message 'scheduleUpdate' is not allowed
/// in state 'authenticating'").
public enum SessionPhase: String, Sendable {
    case connecting, authenticating, ready, closing, closed
}

/// Decoding and direction checks shared by both ends.
enum SessionFrameCheck {
    /// The message in `frame`, nil for an ignorable extension frame, or the error to close with.
    static func decode(_ frame: Frame) -> Result<Message?, ProtocolError> {
        if FrameType(rawValue: frame.type) == nil, FrameType.isIgnorableExtension(frame.type) { return .success(nil) }
        let message: Message
        do { message = try MessageCodec.decode(frame) } catch { return .failure(error) }
        return .success(message)
    }

    /// Whether a message of `type` may travel to `receiver`'s side.
    static func isAllowed(_ type: FrameType, toward receiver: FrameType.Direction) -> Bool {
        type.direction == .both || type.direction == receiver
    }

    /// The action for an `error` frame from the peer: fatal codes close, others go up.
    static func peerError(_ error: ErrorMessage) -> SessionAction {
        error.isFatal
            ? .closeWithError(.remote(code: error.code, message: error.message), notifyPeer: false)
            : .deliver(.error(error))
    }
}
