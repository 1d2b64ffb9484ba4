/// Slows down failed handshakes per key (a gateway id, or a peer address): after each
/// failure the key is refused until a time that doubles with every further failure, up to a
/// cap. Pure and clock-injected: callers pass `now` in ms since the Unix epoch.
public struct AuthThrottle: Sendable {
    /// Failures allowed without any delay.
    public var freeAttempts: Int
    public var baseDelayMs: Int64
    public var maxDelayMs: Int64
    /// A key with no failure for this long starts from zero again.
    public var forgetAfterMs: Int64
    /// Keys remembered at most (unknown gateway ids are throttled too, and anyone can invent
    /// them); beyond it idle keys are pruned, then the half failed longest ago.
    public var maxEntries: Int
    private var entries: [String: Entry] = [:]

    private struct Entry: Sendable {
        var failures: Int
        var lastFailure: Int64
        var refuseUntil: Int64
    }

    /// What the throttle says about a key right now.
    public enum Decision: Equatable, Sendable {
        case allowed
        case refused(until: Int64, failures: Int)
    }

    public init(freeAttempts: Int = 0, baseDelayMs: Int64 = 2_000, maxDelayMs: Int64 = 15 * 60 * 1000,
                forgetAfterMs: Int64 = 60 * 60 * 1000, maxEntries: Int = 100_000) {
        self.freeAttempts = freeAttempts
        self.baseDelayMs = baseDelayMs
        self.maxDelayMs = maxDelayMs
        self.forgetAfterMs = forgetAfterMs
        self.maxEntries = maxEntries
    }

    public func check(_ key: String, now: Int64) -> Decision {
        guard let e = entries[key], now - e.lastFailure <= forgetAfterMs, now < e.refuseUntil else { return .allowed }
        return .refused(until: e.refuseUntil, failures: e.failures)
    }

    /// Records a failure; returns the failure count and the time the key is refused until.
    @discardableResult
    public mutating func recordFailure(_ key: String, now: Int64) -> (attempt: Int, refuseUntil: Int64) {
        var e = entries[key] ?? Entry(failures: 0, lastFailure: now, refuseUntil: now)
        if now - e.lastFailure > forgetAfterMs { e.failures = 0 }
        e.failures += 1
        e.lastFailure = now
        e.refuseUntil = now + delay(afterFailures: e.failures)
        if entries[key] == nil, entries.count >= maxEntries { makeRoom(now: now) }
        entries[key] = e
        return (e.failures, e.refuseUntil)
    }

    public mutating func recordSuccess(_ key: String) { entries[key] = nil }

    /// The delay after `failures` failures: 0 for the free ones, then base·2^k, capped.
    public func delay(afterFailures failures: Int) -> Int64 {
        let k = failures - freeAttempts
        guard k > 0 else { return 0 }
        guard k <= 40 else { return maxDelayMs }
        return min(maxDelayMs, baseDelayMs << Int64(k - 1))
    }

    /// Drops entries idle longer than `forgetAfterMs`, keeping memory bounded.
    public mutating func prune(now: Int64) {
        entries = entries.filter { now - $0.value.lastFailure <= forgetAfterMs }
    }

    public var count: Int { entries.count }

    private mutating func makeRoom(now: Int64) {
        prune(now: now)
        guard entries.count >= maxEntries else { return }
        let keep = entries.sorted { $0.value.lastFailure > $1.value.lastFailure }.prefix(maxEntries / 2)
        entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }

    /// Whole seconds until `until`, rounded up, for messages.
    public static func seconds(until: Int64, now: Int64) -> Int64 { max(0, (until - now + 999) / 1000) }
}
