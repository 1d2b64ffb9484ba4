/// What a session handler passes up the pipeline to the daemon's own handler.
public enum SessionEvent: Equatable, Sendable {
    /// The handshake succeeded; application messages may flow.
    case ready(gatewayID: String, version: UInt16, heartbeatSeconds: UInt32)
    /// An application message from the peer.
    case message(Message)
    /// A finished clock exchange (gateway side); feed it to a `ClockDiscipline`.
    case clockSample(ClockSample)
}
