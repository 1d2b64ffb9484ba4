#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A stretch of sound in a simulated run: `itemId` played from `start` to `end`, beginning
/// `fromMs` into the item (non-zero for a resumed play). A live item's segment runs on through
/// a source gap shorter than the grace: the item held the gateway, silent, and did not fall back.
public struct TimelineSegment: Hashable, Sendable, Codable, CustomStringConvertible {
    public var itemId: String
    public var start: Date
    public var end: Date
    public var fromMs: Int64

    public init(itemId: String, start: Date, end: Date, fromMs: Int64) {
        self.itemId = itemId
        self.start = start
        self.end = end
        self.fromMs = fromMs
    }

    public var description: String {
        "\(itemId) \(start.timeIntervalSince1970)…\(end.timeIntervalSince1970) from \(fromMs) ms"
    }
}

/// The outcome of a simulated run: what sounded when, the as-played log, and the amplifier
/// switchings (`true` = on).
public struct SimulationResult: Hashable, Sendable {
    public var segments: [TimelineSegment] = []
    public var events: [PlayoutEvent] = []
    public var amplifier: [AmplifierSwitch] = []

    public init() {}
}

/// The amplifier relay switched `on` or off at `at`.
public struct AmplifierSwitch: Hashable, Sendable, Codable {
    public var at: Date
    public var on: Bool

    public init(at: Date, on: Bool) {
        self.at = at
        self.on = on
    }
}
