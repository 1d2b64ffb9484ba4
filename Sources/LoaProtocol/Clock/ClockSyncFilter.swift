/// Keeps the last `window` clock samples and trusts the one with the smallest delay: the
/// exchange that waited least in queues is the one whose two directions were most alike.
public struct ClockSyncFilter: Sendable {
    public let window: Int
    public private(set) var samples: [ClockSample] = []

    public init(window: Int = 8) {
        precondition(window > 0, "clock sync window must hold at least one sample")
        self.window = window
    }

    /// Adds a sample; samples with a negative delay (a clock stepped mid-exchange) are dropped.
    public mutating func add(_ sample: ClockSample) {
        guard sample.delay >= 0 else { return }
        samples.append(sample)
        if samples.count > window { samples.removeFirst(samples.count - window) }
    }

    /// The minimum-delay sample in the window, or nil before the first exchange.
    public var best: ClockSample? { samples.min { $0.delay < $1.delay } }

    /// The current offset estimate (controller − gateway, ns).
    public var offset: Int64? { best?.offset }

    /// Pure form: the offset of the minimum-delay sample among `samples`.
    public static func estimate(_ samples: [ClockSample]) -> Int64? {
        samples.filter { $0.delay >= 0 }.min { $0.delay < $1.delay }?.offset
    }
}
