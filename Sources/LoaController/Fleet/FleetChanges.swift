import Synchronization

/// Word of gateways whose state may have changed — connected, disconnected, reported health,
/// edited — for the console's live fleet view. A subscriber collects the ids between its reads
/// (one id changing ten times is read once); one that falls more than `limit` ids behind is told
/// to read everything again instead of holding a growing set. Publishing never waits.
public final class FleetChanges: Sendable {
    /// What a subscriber reads: the gateways changed since its last read, `resync` (it fell
    /// behind: read everything again), or `idle` (woken by `poke` with nothing new).
    public enum Batch: Sendable, Equatable {
        case gateways(Set<String>)
        case resync
        case idle
    }

    public final class Subscription: Sendable {
        fileprivate struct State {
            var pending: Set<String> = []
            var overflowed = false
            var poked = false
            var finished = false
        }

        fileprivate let state = Mutex(State())
        fileprivate let limit: Int
        fileprivate let ring: AsyncStream<Void>.Continuation
        /// Read by `next()` alone, which has one caller: the stream that serves the subscriber.
        nonisolated(unsafe) private var doorbell: AsyncStream<Void>.Iterator

        fileprivate init(limit: Int) {
            self.limit = limit
            let (stream, ring) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            self.ring = ring
            doorbell = stream.makeAsyncIterator()
        }

        fileprivate func add(_ gatewayID: String) {
            let rang = state.withLock { state -> Bool in
                guard !state.finished, !state.overflowed else { return false }
                if state.pending.count >= limit {
                    state.overflowed = true
                    state.pending = []
                } else {
                    state.pending.insert(gatewayID)
                }
                return true
            }
            if rang { ring.yield() }
        }

        fileprivate func finish() {
            state.withLock { $0.finished = true }
            ring.finish()
        }

        /// Wakes the reader even with nothing new (its next read is `idle`): a keep-alive.
        public func poke() {
            state.withLock { $0.poked = true }
            ring.yield()
        }

        /// Waits for the next changes; nil once the hub is shut or the subscription cancelled.
        /// One reader only. (The doorbell may ring for changes already taken: it only wakes.)
        public func next() async -> Batch? {
            while true {
                switch take() {
                case .ended: return nil
                case .batch(let batch): return batch
                case .nothing: guard await doorbell.next() != nil else { return nil }
                }
            }
        }

        private enum Taken { case batch(Batch), ended, nothing }

        private func take() -> Taken {
            state.withLock { state in
                if state.finished { return .ended }
                if state.overflowed {
                    state.overflowed = false
                    return .batch(.resync)
                }
                if !state.pending.isEmpty {
                    defer { state.pending = [] }
                    return .batch(.gateways(state.pending))
                }
                if state.poked {
                    state.poked = false
                    return .batch(.idle)
                }
                return .nothing
            }
        }
    }

    private let subscribers = Mutex<[ObjectIdentifier: Subscription]>([:])
    private let closed = Mutex(false)

    public init() {}

    /// A new subscriber; call `unsubscribe` when done with it.
    public func subscribe(limit: Int = 2_000) -> Subscription {
        let subscription = Subscription(limit: limit)
        if closed.withLock({ $0 }) {
            subscription.finish()
        } else {
            subscribers.withLock { $0[ObjectIdentifier(subscription)] = subscription }
        }
        return subscription
    }

    public func unsubscribe(_ subscription: Subscription) {
        subscribers.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(subscription)) }
        subscription.finish()
    }

    public func publish(_ gatewayID: String) {
        for subscription in subscribers.withLock({ Array($0.values) }) { subscription.add(gatewayID) }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Ends every subscription (the controller is stopping: the event streams must close so the
    /// HTTP server's drain does not wait on them) and refuses new ones.
    public func close() {
        closed.withLock { $0 = true }
        for subscription in subscribers.withLock({ current in defer { current = [:] }; return Array(current.values) }) {
            subscription.finish()
        }
    }
}
