import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// Where one item's life stands in the gateway's play journal. *Planned* is implicit: an
/// occurrence of the stored schedule without a journal row. `started` covers `resumed` and
/// `restarted` (sound is coming out); `interrupted` may still be resumed or restarted, and is
/// the outcome when it is not. The other four are terminal: nothing is logged after them.
public enum PlayJournalState: String, Sendable, CaseIterable {
    case started, interrupted, finished, dropped, missed, failed

    public var isTerminal: Bool {
        switch self {
        case .started, .interrupted: false
        case .finished, .dropped, .missed, .failed: true
        }
    }
}

/// One step of an item's life, as the journal sees it (the playout machine's finer kinds
/// folded onto the journal's states).
public enum PlayTransition: String, Sendable, Equatable {
    case started, interrupted, finished, dropped, missed, failed

    public init(_ kind: PlayoutEvent.Kind) {
        switch kind {
        case .started, .resumed, .restarted, .sourceRestored: self = .started
        case .interrupted, .stopped, .sourceLost: self = .interrupted
        case .finished: self = .finished
        case .dropped, .expired: self = .dropped
        case .missed, .relayMissed: self = .missed
        }
    }

    /// The state the item is in after this step.
    public var state: PlayJournalState {
        switch self {
        case .started: .started
        case .interrupted: .interrupted
        case .finished: .finished
        case .dropped: .dropped
        case .missed: .missed
        case .failed: .failed
        }
    }
}

/// The journal's row for one item (a schedule occurrence, an announcement, a live item): its
/// state, how many steps were logged, and where sound last started, so that a play cut by the
/// gateway's death can be closed at its next start with the offset it reached.
public struct PlayJournalEntry: Sendable, Equatable {
    public var itemId: String
    public var state: PlayJournalState
    /// Steps logged so far; the next step's sequence number.
    public var transitions: Int
    /// When sound last (re)started, controller time; nil before the first start.
    public var startedAt: Date?
    /// The offset in the item sound (re)started from.
    public var fromMs: Int64
    /// The item's length, when it has one (live items have none).
    public var durationMs: Int64?
    public var updatedAt: Date

    public init(itemId: String, state: PlayJournalState, transitions: Int, startedAt: Date?, fromMs: Int64,
                durationMs: Int64?, updatedAt: Date) {
        self.itemId = itemId
        self.state = state
        self.transitions = transitions
        self.startedAt = startedAt
        self.fromMs = fromMs
        self.durationMs = durationMs
        self.updatedAt = updatedAt
    }

    /// The entry after `transition`, or nil when the journal refuses it: anything after a
    /// terminal state (a resend the gateway re-derived after a restart, a second `dropped`).
    /// Two starts or two interruptions in a row are steps (a live item's source comes back and
    /// the item restarts; its source is lost, then its grace ends); a play cut by the gateway's
    /// death is closed by `RestartRecovery.close` before anything starts it again.
    public static func next(_ entry: PlayJournalEntry?, itemId: String, transition: PlayTransition, at: Date,
                            fromMs: Int64 = 0, durationMs: Int64? = nil) -> PlayJournalEntry? {
        let current = entry?.state
        if let current, current.isTerminal { return nil }
        var next = entry ?? PlayJournalEntry(itemId: itemId, state: transition.state, transitions: 0, startedAt: nil, fromMs: 0,
                                             durationMs: durationMs, updatedAt: at)
        next.state = transition.state
        next.transitions += 1
        next.updatedAt = at
        if let durationMs { next.durationMs = durationMs }
        if transition == .started {
            next.startedAt = at
            next.fromMs = fromMs
        }
        return next
    }

    /// How far an open play got when the gateway died: from its start offset plus the time it
    /// sounded until `lastAlive`, within its length. Without a last-alive mark, its start offset.
    public func offsetReached(lastAlive: Date?) -> Int64 {
        guard let startedAt, let lastAlive else { return fromMs }
        let sounded = max(0, Int64((lastAlive.timeIntervalSince(startedAt) * 1000).rounded(.down)))
        return min(fromMs + sounded, durationMs ?? .max)
    }
}

/// Event ids derived from what they record, so that a step re-derived after a restart carries
/// the id it had before and the controller stores it once: a name-based UUID (RFC 9562 §5.8,
/// version 8) from SHA-256 of the gateway id, the item id, the step and its sequence number in
/// the item's life. The gateway id is in it because every gateway of an area plays the same
/// occurrence ids, and the controller keys events by id alone.
public enum PlayEventID {
    public static func derive(gatewayId: String, itemId: String, transition: PlayTransition, sequence: Int) -> UUID {
        let name = "loa-play-event\n\(gatewayId)\n\(itemId)\n\(transition.rawValue)\n\(sequence)"
        let digest = Array(SHA256.hash(data: Data(name.utf8)))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
