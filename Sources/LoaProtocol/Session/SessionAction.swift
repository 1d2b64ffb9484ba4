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
