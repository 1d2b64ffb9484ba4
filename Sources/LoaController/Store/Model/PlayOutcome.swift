import Foundation

/// Where one item's life on one gateway ended (or stands): the last of its as-played events.
/// One per (gateway, item); the raw events stay in the play log.
public struct PlayOutcome: Sendable, Equatable {
    public enum Outcome: String, Sendable, CaseIterable {
        /// Played to its end.
        case finished
        /// Cut and not taken up again (or not yet: a `resume` may still come).
        case interrupted
        /// Not played: pre-empted, busy, expired, stopped before it sounded.
        case dropped
        /// Its window passed unplayed: the gateway was down or offline, or it could not start in time.
        case missed
        /// The gateway could not play it (content, sound card).
        case failed
        /// Started or resumed, and nothing since.
        case playing

        /// The outcome a life's last event gives.
        public init(last kind: PlayLogEntry.Kind) {
            switch kind {
            case .finished: self = .finished
            case .interrupted: self = .interrupted
            case .dropped: self = .dropped
            case .missed: self = .missed
            case .failed: self = .failed
            case .started, .resumed: self = .playing
            }
        }
    }

    public var gatewayID: String
    public var itemID: String
    public var bulletinSHA256: String?
    public var outcome: Outcome
    /// The last event's position in the item (ms).
    public var positionMs: Int
    /// The first and the last event's instants.
    public var firstAt: Date
    public var lastAt: Date
    /// How many events the life has.
    public var events: Int
    /// The last event's detail and who recorded it.
    public var detail: String?
    public var origin: PlayLogEntry.Origin

    public init(gatewayID: String, itemID: String, bulletinSHA256: String?, outcome: Outcome, positionMs: Int,
                firstAt: Date, lastAt: Date, events: Int, detail: String?, origin: PlayLogEntry.Origin) {
        self.gatewayID = gatewayID
        self.itemID = itemID
        self.bulletinSHA256 = bulletinSHA256
        self.outcome = outcome
        self.positionMs = positionMs
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.events = events
        self.detail = detail
        self.origin = origin
    }
}

/// One page of outcomes, newest first by their first event, and where the next page starts.
public struct PlayOutcomePage: Sendable, Equatable {
    public var outcomes: [PlayOutcome]
    public var next: PlayEventQuery.Cursor?

    public init(outcomes: [PlayOutcome], next: PlayEventQuery.Cursor?) {
        self.outcomes = outcomes
        self.next = next
    }
}
