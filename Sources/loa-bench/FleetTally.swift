import NIOConcurrencyHelpers

/// What the simulated fleet counts, shared by every connection's handler (on any event loop)
/// and the reporting loop. One lock; the handlers' updates are a few integer bumps each.
final class FleetTally: Sendable {
    struct Counts: Sendable {
        var ready = 0
        var handshakes = 0
        var connectFailures = 0
        var closedByPeer = 0
        /// Error frames the controller sent, by code (20 is heartbeatTimeout: "silent").
        var errorCodes: [UInt16: Int] = [:]
        var bytesIn = 0
        var bytesOut = 0
        var scheduleUpdates = 0
        var contentBytes = 0
        var healthReports = 0
        var playEventsAcked = 0
        /// Clock round trips (ms) and handshake durations (ms) since the last `drain`.
        var rttMs: [Double] = []
        var handshakeMs: [Double] = []
    }

    private let counts = NIOLockedValueBox(Counts())

    func update(_ body: (inout Counts) -> Void) { counts.withLockedValue(body) }
    var snapshot: Counts { counts.withLockedValue { $0 } }

    /// The counts so far, with the samples taken out (the next read sees only newer ones).
    func drain() -> Counts {
        counts.withLockedValue { c in
            let copy = c
            c.rttMs.removeAll(keepingCapacity: true)
            c.handshakeMs.removeAll(keepingCapacity: true)
            return copy
        }
    }
}

/// Order statistics of a sample, for the report.
struct Percentiles: Equatable {
    var count: Int
    var p50: Double
    var p99: Double
    var max: Double

    /// Nearest-rank percentiles; nil for an empty sample.
    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ p: Double) -> Double {
            sorted[min(sorted.count - 1, Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
        }
        count = sorted.count
        p50 = rank(0.50)
        p99 = rank(0.99)
        self.max = sorted[sorted.count - 1]
    }
}
