/// The gateway's reconnect delays: capped exponential growth with jitter, so a fleet that lost
/// its controller does not reconnect in lock-step. Pure: the caller passes the random source
/// and any `retryAfterSeconds` the controller sent with a `throttled` error.
public struct ReconnectBackoff: Sendable {
    public var baseMs: Int64
    public var capMs: Int64
    public private(set) var failures = 0

    public init(baseMs: Int64 = 1_000, capMs: Int64 = 5 * 60 * 1000) {
        self.baseMs = baseMs
        self.capMs = capMs
    }

    /// The delay before the next attempt: uniformly in [ceiling/2, ceiling] where the ceiling
    /// doubles per failure up to `capMs`, and never before the controller's `retryAfterMs`.
    public mutating func nextDelayMs<R: RandomNumberGenerator>(retryAfterMs: Int64? = nil, using random: inout R) -> Int64 {
        let ceiling = failures >= 40 ? capMs : min(capMs, baseMs << Int64(failures))
        failures += 1
        let jittered = Int64.random(in: (ceiling / 2)...max(ceiling / 2, ceiling), using: &random)
        return max(jittered, retryAfterMs ?? 0)
    }

    /// A session reached `ready`: start from the base again.
    public mutating func reset() { failures = 0 }
}
