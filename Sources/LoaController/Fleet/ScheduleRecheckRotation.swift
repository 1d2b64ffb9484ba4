/// Which connected gateways the once-a-second schedule recheck asks this tick: each gateway
/// once per period, in the slice its id hashes to, so a period's database reads are spread over
/// its seconds instead of all falling in one (issue 14: with 10 000 gateways every 30 s, the
/// heartbeat round trips' p99 jumped in step). Pure; the hash is FNV-1a, stable across runs.
public struct ScheduleRecheckRotation: Equatable, Sendable {
    /// Seconds in which every gateway is rechecked once.
    public var periodSeconds: Int

    public init(periodSeconds: Int) { self.periodSeconds = max(1, periodSeconds) }

    /// The slice (0 ..< period) of tick `tick` (seconds since the rotation started).
    public func slice(atTick tick: Int) -> Int { ((tick % periodSeconds) + periodSeconds) % periodSeconds }

    /// Whether `gatewayID` is rechecked at `tick`.
    public func isDue(_ gatewayID: String, atTick tick: Int) -> Bool {
        Int(Self.fnv1a(gatewayID) % UInt64(periodSeconds)) == slice(atTick: tick)
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
