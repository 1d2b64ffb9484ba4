import LoaProtocol

/// What a gateway connection's worker processes, in order: what the session handler passed up,
/// the error it closed with, and requests from the rest of the controller.
enum ConnectionEvent: Sendable {
    case session(SessionEvent)
    case failed(ProtocolError)
    /// Re-read the gateway's schedule version and push the schedule if it changed.
    case pushSchedule
}
