#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One as-played log record: what happened to which item, when. Every transition of the
/// playout state machine produces one; the gateway queues them until the controller acks.
///
/// JSON (Swift's enum coding): `{"at":…,"itemId":"…","kind":{"interrupted":{"atMs":45000,"by":"khan-cap"}}}`,
/// `{"kind":{"started":{}}}`, `{"kind":{"dropped":{"reason":"busy"}}}`. `at` follows the encoder's
/// date strategy; the gateway should use `.millisecondsSince1970`, like the protocol's instants.
public struct PlayoutEvent: Hashable, Sendable, Codable {
    public enum Kind: Hashable, Sendable, Codable {
        /// Sound started for the first time.
        case started
        /// Sound started again from `fromMs` after an interruption (onInterrupt `resume`).
        case resumed(fromMs: Int64)
        /// Sound started again from the beginning after an interruption (onInterrupt `restart`).
        case restarted
        /// Played to `atMs` and ended on its own (the player's report).
        case finished(atMs: Int64)
        /// Cut at `atMs` by item `by`, or by the loss of its live source when `by` is nil.
        case interrupted(atMs: Int64, by: String?)
        /// Cut at `atMs` by an operator's stop.
        case stopped(atMs: Int64)
        /// Discarded without (further) playing.
        case dropped(reason: DropReason)
        /// An announcement or stream whose expiry passed before it could (re)start.
        case expired
        /// A scheduled play that could not start within its tolerance; not played stale.
        case missed
        /// A scheduled relay's window whose stream did not arrive within `RelayEntry.arrivalGraceMs`
        /// (the gateway was offline, or the controller could not relay).
        case relayMissed
        /// A live item's source went quiet; the grace period starts.
        case sourceLost
        /// A live item's source came back.
        case sourceRestored
    }

    /// Why an item was discarded.
    public enum DropReason: String, Hashable, Sendable, Codable {
        /// It met a busy gateway and its onBusy is `drop`.
        case busy
        /// It was interrupted and its onInterrupt is `drop`.
        case interrupted
        /// An operator stopped it before it played.
        case stopped
    }

    public var at: Date
    public var itemId: String
    public var kind: Kind

    public init(at: Date, itemId: String, kind: Kind) {
        self.at = at
        self.itemId = itemId
        self.kind = kind
    }

    /// The same event with a cut (`interrupted`, `stopped`) placed at `positionMs`, where the
    /// player says the speaker was; any other event unchanged.
    public func placingCut(atMs positionMs: Int64) -> PlayoutEvent {
        var event = self
        switch kind {
        case .interrupted(_, let by): event.kind = .interrupted(atMs: positionMs, by: by)
        case .stopped: event.kind = .stopped(atMs: positionMs)
        default: break
        }
        return event
    }
}
