/// What happened to an item on the loudspeakers.
public enum PlayEventKind: String, Codable, Sendable, CaseIterable {
    case started, finished, interrupted, resumed, dropped, failed
}

/// One as-played event. `id` is unique and chosen by the gateway, so a resend after a
/// reconnect is recognised and acknowledged again without a duplicate record.
public struct PlayEvent: Codable, Equatable, Sendable {
    public var id: String
    public var itemId: String
    public var kind: PlayEventKind
    /// Controller clock, ms since the Unix epoch.
    public var at: Int64
    public var detail: String?

    public init(id: String, itemId: String, kind: PlayEventKind, at: Int64, detail: String? = nil) {
        self.id = id
        self.itemId = itemId
        self.kind = kind
        self.at = at
        self.detail = detail
    }
}

/// `playEvents` (0x61, gateway → controller, JSON): a batch of as-played events.
public struct PlayEventBatch: Codable, Equatable, Sendable {
    public var events: [PlayEvent]
    public init(events: [PlayEvent]) { self.events = events }
}

/// `playEventsAck` (0x62, controller → gateway, JSON): these ids are stored; delete them.
public struct PlayEventAck: Codable, Equatable, Sendable {
    public var ids: [String]
    public init(ids: [String]) { self.ids = ids }
}
