/// How many failed handshakes one peer address may cause: a token bucket per address that
/// holds `burst` failures and forgives one every `refillMs`. Pure and clock-injected (ms since
/// the Unix epoch).
///
/// On 4G, hundreds of gateways share one carrier-NAT address, so this budget is deliberately
/// large and burst-tolerant: a misconfigured gateway is slowed down by its own per-id
/// `AuthThrottle` long before it could spend its neighbours' budget, and only a flood of
/// failures from many ids (someone guessing) empties it.
public struct AddressBudget: Sendable {
    public var burst: Int
    public var refillMs: Int64
    /// Addresses remembered at most; beyond it those with a full bucket are forgotten first.
    public var maxEntries: Int
    private var entries: [String: Entry] = [:]

    private struct Entry: Sendable {
        /// Failures still allowed, as of `updatedAt`.
        var tokens: Double
        var updatedAt: Int64
    }

    public init(burst: Int = 300, refillMs: Int64 = 2_000, maxEntries: Int = 100_000) {
        self.burst = burst
        self.refillMs = refillMs
        self.maxEntries = maxEntries
    }

    /// `.refused(until:)` when the address has no failure left to spend.
    public func check(_ key: String, now: Int64) -> AuthThrottle.Decision {
        guard let entry = entries[key] else { return .allowed }
        let tokens = refilled(entry, now: now)
        guard tokens < 1 else { return .allowed }
        let until = now + Int64(((1 - tokens) * Double(refillMs)).rounded(.up))
        return .refused(until: until, failures: burst)
    }

    /// Spends one failure.
    public mutating func recordFailure(_ key: String, now: Int64) {
        let tokens = entries[key].map { refilled($0, now: now) } ?? Double(burst)
        if entries[key] == nil, entries.count >= maxEntries { forgetFull(now: now) }
        entries[key] = Entry(tokens: max(0, tokens - 1), updatedAt: now)
    }

    /// Failures the address may still cause right now.
    public func remaining(_ key: String, now: Int64) -> Int {
        Int(entries[key].map { refilled($0, now: now) } ?? Double(burst))
    }

    public var count: Int { entries.count }

    private func refilled(_ entry: Entry, now: Int64) -> Double {
        let elapsed = Double(max(0, now - entry.updatedAt))
        return min(Double(burst), entry.tokens + elapsed / Double(refillMs))
    }

    /// Drops addresses whose bucket has refilled (they are as if never seen); if that is not
    /// enough, the half updated longest ago.
    private mutating func forgetFull(now: Int64) {
        entries = entries.filter { refilled($0.value, now: now) < Double(burst) }
        guard entries.count >= maxEntries else { return }
        let keep = entries.sorted { $0.value.updatedAt > $1.value.updatedAt }.prefix(maxEntries / 2)
        entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
