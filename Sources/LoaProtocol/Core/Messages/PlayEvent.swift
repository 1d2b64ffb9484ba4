/// One as-played event. `id` is unique and chosen by the gateway, so a resend after a
/// reconnect is recognised and acknowledged again without a duplicate record.
public struct PlayEvent: Codable, Equatable, Sendable {
    public var id: String
    public var itemId: String
    public var kind: PlayEventKind
    /// Controller clock, ms since the Unix epoch.
    public var at: Int64
    public var detail: String?
    /// Where in the item the event happened, in ms of its audio: how far it got (`finished`,
    /// `interrupted`) or where it went on from (`resumed`). Absent from gateways before it was
    /// added; those carry it only as `atMs=N` / `fromMs=N` in `detail`, which a gateway still
    /// writes for controllers of that release.
    public var positionMs: Int64?
    /// Why, typed (absent from gateways before it; theirs is a word of `detail`).
    public var cause: PlayEventCause?
    /// The item that cut this one (`cause` `preempted`).
    public var by: String?

    public init(id: String, itemId: String, kind: PlayEventKind, at: Int64, detail: String? = nil, positionMs: Int64? = nil,
                cause: PlayEventCause? = nil, by: String? = nil) {
        self.id = id
        self.itemId = itemId
        self.kind = kind
        self.at = at
        self.detail = detail
        self.positionMs = positionMs
        self.cause = cause
        self.by = by
    }
}
