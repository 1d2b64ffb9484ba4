/// Who may upload now and whose DSP may start: the decisions behind `IngestQueue`, with no
/// threads, clocks or I/O, so every case is a test of events in and decisions out.
///
/// An upload holds a ticket from before its body is read until its bulletin is stored (or it
/// is refused): at most `capacity` tickets exist, so a full queue answers at once, before the
/// uploader has sent anything. Of the holders whose bodies are in, at most `workers` run the
/// pipeline at a time, in arrival order; the rest wait. A slow body (a 3G link) holds a ticket
/// but not a worker.
public struct IngestAdmission: Sendable, Equatable {
    public struct Ticket: Hashable, Sendable {
        public let id: UInt64
    }

    public enum Admission: Equatable, Sendable {
        case admitted(Ticket)
        /// Full: come back in this many seconds (`Retry-After`).
        case refused(retryAfterSeconds: Int)
    }

    public enum Start: Equatable, Sendable {
        case now
        /// Behind this many others.
        case queued(ahead: Int)
    }

    /// Uploads held at once, bodies still arriving included.
    public let capacity: Int
    /// Pipelines run at once.
    public let workers: Int
    /// The `Retry-After` before any ingest has finished (a minute of speech takes ~1 s; an hour
    /// tens of seconds).
    public static let defaultJobSeconds = 30.0
    public static let retryAfterRange = 1...600

    public private(set) var holders: Set<Ticket> = []
    public private(set) var running: Set<Ticket> = []
    public private(set) var waiting: [Ticket] = []
    /// Moving average of pipeline wall time.
    public private(set) var averageJobSeconds: Double?
    private var nextID: UInt64 = 1

    public init(capacity: Int = 4, workers: Int = 1) {
        self.capacity = max(1, capacity)
        self.workers = max(1, workers)
    }

    public init(_ configuration: ControllerConfiguration) {
        self.init(capacity: configuration.audio.ingestQueueLength, workers: configuration.audio.ingestWorkers)
    }

    /// An upload arrives.
    public mutating func admit() -> Admission {
        guard holders.count < capacity else { return .refused(retryAfterSeconds: retryAfterSeconds) }
        let ticket = Ticket(id: nextID)
        nextID += 1
        holders.insert(ticket)
        return .admitted(ticket)
    }

    /// Its body is in and it is not a repeat: start its pipeline now, or queue it.
    public mutating func requestStart(_ ticket: Ticket) -> Start {
        precondition(holders.contains(ticket) && !running.contains(ticket) && !waiting.contains(ticket), "ticket \(ticket.id) asked to start twice")
        if running.count < workers && waiting.isEmpty {
            running.insert(ticket)
            return .now
        }
        waiting.append(ticket)
        return .queued(ahead: waiting.count - 1)
    }

    /// Its pipeline ended after `seconds`: the tickets that start now.
    public mutating func finished(_ ticket: Ticket, seconds: Double) -> [Ticket] {
        if running.contains(ticket) {
            averageJobSeconds = averageJobSeconds.map { 0.7 * $0 + 0.3 * seconds } ?? seconds
        }
        return release(ticket)
    }

    /// It leaves (refused, a repeat, stored, or gone): the tickets that start now.
    public mutating func release(_ ticket: Ticket) -> [Ticket] {
        holders.remove(ticket)
        running.remove(ticket)
        waiting.removeAll { $0 == ticket }
        var started: [Ticket] = []
        while running.count < workers, !waiting.isEmpty {
            let next = waiting.removeFirst()
            running.insert(next)
            started.append(next)
        }
        return started
    }

    /// When a ticket is likely to be free again: when the running pipeline that started first is
    /// likely to end, taken as one average pipeline.
    public var retryAfterSeconds: Int {
        let estimate = Int((averageJobSeconds ?? Self.defaultJobSeconds).rounded(.up))
        return min(max(estimate, Self.retryAfterRange.lowerBound), Self.retryAfterRange.upperBound)
    }
}
