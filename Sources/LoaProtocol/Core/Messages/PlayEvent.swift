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
