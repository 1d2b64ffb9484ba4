import Foundation

/// How long the downstream waits before trying its upstream again: doubling from `base` after
/// each failure in a row, capped at `cap`, with "equal jitter" (half the step fixed, half drawn
/// from the injected random fraction) so that the downstreams of one upstream that came back do
/// not all dial it in the same second. Pure: the caller sleeps.
public struct LinkBackoff: Sendable, Equatable {
    public var base: TimeInterval
    public var cap: TimeInterval
    /// Failures in a row since the last success.
    public private(set) var failures = 0

    public init(base: TimeInterval = 1, cap: TimeInterval = 300) {
        self.base = base
        self.cap = max(base, cap)
    }

    /// The step before jitter after `failures` failures in a row.
    public var step: TimeInterval {
        guard failures > 0 else { return 0 }
        return min(cap, base * pow(2, Double(min(failures - 1, 30))))
    }

    /// Records a failure; the delay before the next try. `random` is in 0..<1.
    public mutating func failed(random: Double) -> TimeInterval {
        failures += 1
        let step = self.step
        return step / 2 + step / 2 * min(max(random, 0), 1)
    }

    public mutating func succeeded() {
        failures = 0
    }
}
