#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The time source of the session handlers: ns since the Unix epoch. Injected so tests can
/// pin it; `system` reads the real wall clock.
public struct WallClock: Sendable {
    public let nanosecondsSinceEpoch: @Sendable () -> Int64

    public init(_ nanosecondsSinceEpoch: @escaping @Sendable () -> Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    public static var system: WallClock {
        WallClock {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
        }
    }

    public func now() -> Int64 { nanosecondsSinceEpoch() }
    public func nowMs() -> Int64 { nanosecondsSinceEpoch() / 1_000_000 }
}
