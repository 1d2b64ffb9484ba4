#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A thread's sleep that another thread can end early, timed on the monotonic clock: `wait`
/// returns when `signal` was called (since the last wait) or after `seconds`, whatever the
/// system clock does meanwhile. A `DispatchSemaphore`'s timeout on Linux becomes an absolute
/// CLOCK_REALTIME deadline (`sem_timedwait`), so a system clock stepped back an hour while the
/// player sleeps would keep it asleep an hour; `poll`'s relative timeout runs on the
/// monotonic clock. Signals coalesce (a pending wake-up is one, however many were sent): the
/// waiters here all look at their state again after waking.
final class Wakeup: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 {
            // Out of descriptors: the wait falls back to a plain sleep of at most 10 ms at a time.
            fds = [-1, -1]
        }
        readEnd = fds[0]
        writeEnd = fds[1]
        for fd in fds where fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    /// Ends the current or next `wait`.
    func signal() {
        guard writeEnd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)  // a full pipe already holds a wake-up
    }

    /// Sleeps until `signal` or `seconds` (monotonic); true when signalled.
    @discardableResult
    func wait(seconds: TimeInterval) -> Bool {
        let deadline = Self.monotonicNanoseconds() &+ UInt64(max(0, min(seconds, 86_400)) * 1e9)
        guard readEnd >= 0 else {
            usleep(UInt32(min(max(0, seconds), 0.01) * 1e6))
            return false
        }
        while true {
            let now = Self.monotonicNanoseconds()
            let remainingMs = now >= deadline ? 0 : Int32(min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max)))
            var entry = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, remainingMs)
            if ready > 0 {
                var sink = [UInt8](repeating: 0, count: 64)
                while read(readEnd, &sink, sink.count) > 0 {}
                return true
            }
            if ready == 0 || errno != EINTR { return false }
        }
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
