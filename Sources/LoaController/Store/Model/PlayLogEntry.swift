import Foundation

/// One as-played event reported by a gateway; the event id makes a resend harmless.
public struct PlayLogEntry: Sendable, Equatable {
    /// What happened to the item.
    public enum Kind: String, Sendable, CaseIterable {
        case started, finished, interrupted, resumed, dropped, missed, failed
    }

    /// Who recorded the event: the gateway (every event it reports), or the controller (an
    /// occurrence it marked missed because the gateway was offline for its whole window; see
    /// `MissedSweep`). A gateway's own event for the item replaces the controller's.
    public enum Origin: String, Sendable, CaseIterable {
        case gateway, controller
    }

    /// The longest detail kept; a longer one is cut.
    public static let detailLimit = 200

    /// Chosen by the gateway, unique across the fleet (a UUID); `controller-missed-…` for the
    /// controller's own records.
    public var eventID: String
    public var gatewayID: String
    /// The schedule occurrence, announcement or live item the event is about.
    public var itemID: String
    public var bulletinSHA256: String?
    public var kind: Kind
    public var at: Date
    public var positionMs: Int
    /// What the gateway said about it (`atMs=5730 by=gateway-restart`, `missed reason=…`).
    public var detail: String?
    public var origin: Origin

    public init(
        eventID: String, gatewayID: String, itemID: String, bulletinSHA256: String?,
        kind: Kind, at: Date, positionMs: Int = 0, detail: String? = nil, origin: Origin = .gateway
    ) {
        self.eventID = eventID
        self.gatewayID = gatewayID
        self.itemID = itemID
        self.bulletinSHA256 = bulletinSHA256
        self.kind = kind
        self.at = at
        self.positionMs = positionMs
        self.detail = detail.map(Self.bounded)
        self.origin = origin
    }

    /// At most `detailLimit` Unicode scalars (what SQLite's `length` counts, so the store's
    /// CHECK never refuses a batch over one long detail), control characters (line breaks,
    /// terminal escapes) as U+FFFD: a gateway's words reach logs, CSV files and terminals.
    static func bounded(_ detail: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in detail.unicodeScalars.prefix(detailLimit) {
            kept.append(scalar.properties.generalCategory == .control ? "\u{FFFD}" : scalar)
        }
        return String(kept)
    }
}
