import Foundation

/// The controller's clock as the gateway sees it: local time plus the offset the link's clock
/// sync measured. Injected into the player so tests pin time; the offset box is shared with the
/// link, which updates it after every clock exchange.
public struct GatewayClock: Sendable {
    public let localNow: @Sendable () -> Date
    public let offset: ClockOffset

    public init(localNow: @escaping @Sendable () -> Date = { Date() }, offset: ClockOffset = ClockOffset()) {
        self.localNow = localNow
        self.offset = offset
    }

    /// Controller time now.
    public func now() -> Date { localNow().addingTimeInterval(TimeInterval(offset.nanoseconds) / 1e9) }
}

/// Controller minus gateway clock, in ns; 0 until the first clock exchange.
public final class ClockOffset: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0
    private var known = false

    public init() {}

    public var nanoseconds: Int64 { lock.withLock { value } }
    /// Nil before any clock exchange finished.
    public var measured: Int64? { lock.withLock { known ? value : nil } }

    public func set(_ nanoseconds: Int64) {
        lock.withLock {
            value = nanoseconds
            known = true
        }
    }
}
