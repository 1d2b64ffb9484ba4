#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import NIOConcurrencyHelpers

/// The thread a renderer plays on and its cancel flag, shared by `BulletinRenderer` and
/// `LiveRenderer`: started once; cancelled from any thread, which then waits (bounded) until the
/// play loop has left the output, so the next item never writes into a card still in use.
final class RenderThread: @unchecked Sendable {
    private let name: String
    private let lock = NIOLock()
    private var cancelled = false
    private let done = DispatchSemaphore(value: 0)

    init(name: String) { self.name = name }

    /// Whether `cancel` was called; the play loop checks it between slices.
    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Runs `play` on a new thread, then `completion` with its outcome (after `cancel`'s wait
    /// has been released, so a completion that takes the player's lock cannot deadlock it).
    func start<Outcome>(_ play: @escaping @Sendable () -> Outcome, completion: @escaping @Sendable (Outcome) -> Void) {
        PlatformThread.detach(name: name) { [done] in
            let outcome = play()
            done.signal()
            completion(outcome)
        }
    }

    /// Sets the flag, lets `interrupt` wake the loop out of whatever it waits on (a start
    /// instant, a blocking ALSA write), and waits at most `timeout` for `play` to return.
    func cancel(timeout: TimeInterval, interrupt: () -> Void) {
        lock.withLock { cancelled = true }
        interrupt()
        _ = done.wait(timeout: .now() + timeout)
        done.signal()  // let another waiter through
    }
}
