import Foundation

/// One as-played event reported by a gateway; the event id makes a resend harmless.
public struct PlayEvent: Sendable, Equatable {
    /// What happened to the item.
    public enum Kind: String, Sendable, CaseIterable {
        case started, finished, interrupted, resumed, dropped, missed, failed
    }

    /// Chosen by the gateway, unique across the fleet (a UUID).
    public var eventID: String
    public var gatewayID: String
    /// The schedule occurrence, announcement or live item the event is about.
    public var itemID: String
    public var bulletinSHA256: String?
    public var kind: Kind
    public var at: Date
    public var positionMs: Int

    public init(
        eventID: String, gatewayID: String, itemID: String, bulletinSHA256: String?,
        kind: Kind, at: Date, positionMs: Int = 0
    ) {
        self.eventID = eventID
        self.gatewayID = gatewayID
        self.itemID = itemID
        self.bulletinSHA256 = bulletinSHA256
        self.kind = kind
        self.at = at
        self.positionMs = positionMs
    }
}
