/// How a state machine names its state in errors ("message 'scheduleUpdate' is not allowed
/// in state 'authenticating'").
public enum SessionPhase: String, Sendable {
    case connecting, authenticating, ready, closing, closed
}
