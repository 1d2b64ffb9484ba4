/// How full a gateway connection's inbox is, and when its channel should stop and start
/// reading (pure): reading stops once more than `high` events wait for the worker, so TCP
/// pushes back on the gateway instead of the controller queueing without bound, and starts
/// again once the worker has brought the queue down to `low`.
struct InboxGauge: Sendable, Equatable {
    /// What the channel should do now.
    enum Action: Sendable, Equatable {
        case none
        case stopReading
        case resumeReading
    }

    let high: Int
    let low: Int
    private(set) var queued = 0
    private(set) var reading = true

    init(high: Int = 256, low: Int = 64) {
        precondition(low < high, "the inbox resumes below where it stops")
        self.high = high
        self.low = low
    }

    /// An event was queued for the worker.
    mutating func queuedOne() -> Action {
        queued += 1
        guard reading, queued > high else { return .none }
        reading = false
        return .stopReading
    }

    /// The worker took an event.
    mutating func consumedOne() -> Action {
        queued = max(0, queued - 1)
        guard !reading, queued <= low else { return .none }
        reading = true
        return .resumeReading
    }
}
