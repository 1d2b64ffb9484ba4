/// Why a play event happened, typed: the finer kinds the protocol's six `PlayEventKind`s fold
/// together, which a gateway before it sent only as words of `detail`. Sent as its raw value.
public enum PlayEventCause: String, Codable, Sendable, CaseIterable {
    /// `started`: played again from the beginning after an interruption (onInterrupt `restart`).
    case restarted
    /// `interrupted`: cut by the higher-priority item named in `by`.
    case preempted
    /// `interrupted`: cut by an operator's stop; `dropped`: stopped before it played.
    case stopped
    /// `interrupted`: the live source stayed quiet past the gateway's grace.
    case liveSourceLost
    /// `interrupted` / `resumed`: a live item's source went quiet (the grace starts) / came back.
    case sourceLost
    case sourceRestored
    /// `interrupted`: cut by the gateway's restart (`at` is its last alive mark) or its shutdown.
    case gatewayRestart
    case shutdown
    /// `dropped`: met a busy gateway and its onBusy is `drop`.
    case busy
    /// `dropped`: interrupted, and its onInterrupt is `drop`.
    case interrupted
    /// `dropped`: its expiry passed before it could (re)start.
    case expired
    /// `dropped`: a scheduled play that never sounded — late, or while the gateway was down
    /// (`detail` says which, and the outage).
    case missed
}
