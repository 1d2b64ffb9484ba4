#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// An event fired once, by a thread, that async code awaits with a deadline without blocking a
/// cooperative thread (the gateway's player and control threads tell `stop()` they have exited).
final class OneShotEvent: @unchecked Sendable {
    private let lock = NIOLock()
    private var fired = false
    private var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    private var expired: Set<UInt64> = []
    private var nextWaiter: UInt64 = 0

    var hasFired: Bool { lock.withLock { fired } }

    /// Wakes every waiter (true); later waits return at once.
    func fire() {
        let woken: [CheckedContinuation<Bool, Never>] = lock.withLock {
            fired = true
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        woken.forEach { $0.resume(returning: true) }
    }

    /// True once fired, false if `timeout` passed first.
    func wait(timeout: Duration) async -> Bool {
        let id: UInt64 = lock.withLock {
            nextWaiter += 1
            return nextWaiter
        }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let answer: Bool? = lock.withLock {
                if fired { return true }
                if expired.remove(id) != nil { return false }
                waiters[id] = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    private func expire(_ id: UInt64) {
        let waiter: CheckedContinuation<Bool, Never>? = lock.withLock {
            guard let waiter = waiters.removeValue(forKey: id) else {
                if !fired { expired.insert(id) }
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: false)
    }
}
