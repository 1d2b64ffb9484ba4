#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import LoaProtocol

/// The controller's clock as the gateway sees it. Once the link's `ClockDiscipline` has an
/// estimate, controller time is the gateway's monotonic clock mapped through it (offset and
/// frequency), so a step of the system clock — NTP, a person running `date` — moves nothing
/// that plays; before the first exchange (an offline start) it is the system clock. Injected
/// into the player so tests pin time; the estimate box is shared with the link.
public struct GatewayClock: Sendable {
    /// The gateway's system clock: the fallback before any clock exchange, and what the
    /// health report's offset is measured against.
    public let localNow: @Sendable () -> Date
    /// The gateway's monotonic clock (ns), which clock exchanges are stamped with.
    public let monotonicNow: @Sendable () -> Int64
    public let sync: ClockMapping

    public init(localNow: @escaping @Sendable () -> Date = { Date() }, monotonicNow: @escaping @Sendable () -> Int64 = GatewayClock.monotonicNanoseconds,
                sync: ClockMapping = ClockMapping()) {
        self.localNow = localNow
        self.monotonicNow = monotonicNow
        self.sync = sync
    }

    /// Controller time now.
    public func now() -> Date {
        guard let estimate = sync.estimate else { return localNow() }
        return Date(timeIntervalSince1970: TimeInterval(estimate.controllerTime(at: monotonicNow())) / 1e9)
    }

    /// Controller minus system clock now (ns); nil before any clock exchange.
    public var systemClockOffset: Int64? {
        guard let estimate = sync.estimate else { return nil }
        let local = localNow().timeIntervalSince1970
        return estimate.controllerTime(at: monotonicNow()) &- Int64((local * 1e9).rounded())
    }

    /// CLOCK_MONOTONIC in ns.
    @Sendable public static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// The link's latest clock estimate (controller against the monotonic clock), shared with the
/// player and the health reporter; nil until the first clock exchange.
public final class ClockMapping: @unchecked Sendable {
    private let lock = NIOLock()
    private var value: ClockEstimate?

    public init(_ estimate: ClockEstimate? = nil) { value = estimate }

    public var estimate: ClockEstimate? { lock.withLock { value } }

    public func set(_ estimate: ClockEstimate?) { lock.withLock { value = estimate } }
}
