import LoaAudio

/// Which streams have a browser's microphone as their source, and whether a segment may go in:
/// the first segment (0) opens the source for the login session that sent it; after it, only that
/// session's next segment in sequence, one at a time, of the first segment's format. A source
/// that has sent nothing for the timeout is idle and is ended. Pure: the time is passed in.
struct BrowserSourceBook {
    struct Source: Equatable {
        /// SHA-256 of the bearer token whose session opened it, and that user's name.
        var owner: String
        var user: String
        var format: AudioFormat
        var next: UInt64 = 1
        /// A segment is being fed to the pump (or the source is being attached).
        var feeding = true
        /// Ending: timed out or stopped; no more segments are taken.
        var closing = false
        var lastSegment: ContinuousClock.Instant
    }

    enum Admission: Equatable {
        /// The stream's first segment: attach the source, then feed it.
        case open
        /// The next segment of an open source.
        case feed
    }

    private(set) var sources: [Int64: Source] = [:]

    var isEmpty: Bool { sources.isEmpty }

    /// Admits segment `sequence` of stream `id` from session `owner`, or says why not.
    mutating func admit(_ id: Int64, sequence: UInt64, owner: String, user: String, format: AudioFormat,
                        at now: ContinuousClock.Instant) throws(BrowserSourceError) -> Admission {
        guard var source = sources[id] else {
            guard sequence == 0 else { throw .notStarted(sequence: sequence) }
            sources[id] = Source(owner: owner, user: user, format: format, lastSegment: now)
            return .open
        }
        guard source.owner == owner else { throw .notYours(owner: source.user) }
        guard !source.closing else { throw .closed }
        guard !source.feeding else { throw .busy(sequence: sequence) }
        guard sequence >= source.next else { throw .duplicate(sequence: sequence, expected: source.next) }
        guard sequence == source.next else { throw .outOfOrder(sequence: sequence, expected: source.next) }
        guard format == source.format else { throw .formatChanged(was: source.format, now: format) }
        source.next += 1
        source.feeding = true
        source.lastSegment = now
        sources[id] = source
        return .feed
    }

    /// The segment admitted last has been fed; the idle time counts from now.
    mutating func fed(_ id: Int64, at now: ContinuousClock.Instant) {
        sources[id]?.feeding = false
        sources[id]?.lastSegment = now
    }

    /// The source is ending: later segments are refused until it is removed.
    mutating func close(_ id: Int64) {
        sources[id]?.closing = true
    }

    mutating func remove(_ id: Int64) {
        sources[id] = nil
    }

    /// Sources with no segment for `timeout` (and none being fed), not yet closing.
    func idle(at now: ContinuousClock.Instant, after timeout: Duration) -> [Int64] {
        sources.filter { !$0.value.feeding && !$0.value.closing && now - $0.value.lastSegment >= timeout }.keys.sorted()
    }
}
