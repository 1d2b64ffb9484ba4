/// Remembers the gateway nonces seen within a window, so a recorded `hello` replayed later is
/// refused. Pure value type: the owner passes `now` (ms) and keeps one cache per controller.
///
/// Bounded: at most `capacity` entries; when full, the oldest is forgotten first. The
/// controller's own fresh nonce in the proof is what makes a replay useless after that.
public struct NonceReplayCache: Sendable {
    public var windowMs: Int64
    public var capacity: Int
    private var seenAt: [Key: Int64] = [:]
    private var order: [(Key, Int64)] = []
    private var head = 0

    private struct Key: Hashable, Sendable {
        var gatewayID: String
        var nonce: [UInt8]
    }

    public init(windowMs: Int64 = 10 * 60 * 1000, capacity: Int = 100_000) {
        self.windowMs = windowMs
        self.capacity = capacity
    }

    /// Records the nonce; returns false when it was already seen within the window.
    public mutating func insert(gatewayID: String, nonce: [UInt8], now: Int64) -> Bool {
        expire(now: now)
        let key = Key(gatewayID: gatewayID, nonce: nonce)
        if seenAt[key] != nil { return false }
        if seenAt.count >= capacity, head < order.count {
            seenAt[order[head].0] = nil
            head += 1
        }
        seenAt[key] = now
        order.append((key, now))
        return true
    }

    public var count: Int { seenAt.count }

    private mutating func expire(now: Int64) {
        while head < order.count, now - order[head].1 > windowMs {
            if seenAt[order[head].0] == order[head].1 { seenAt[order[head].0] = nil }
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
