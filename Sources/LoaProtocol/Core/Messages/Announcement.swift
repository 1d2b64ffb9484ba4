/// `announce` (0x40, controller → gateway, JSON): play cached content `sha256` at `startAt`
/// (controller clock, ms since the Unix epoch) unless `expiresAt` has passed.
public struct Announcement: Codable, Equatable, Sendable {
    public var itemId: String
    public var sha256: ContentHash
    public var priority: UInt8
    public var startAt: Int64
    public var expiresAt: Int64
    public var onBusy: BusyPolicy
    public var onInterrupt: InterruptPolicy

    public init(itemId: String, sha256: ContentHash, priority: UInt8, startAt: Int64, expiresAt: Int64,
                onBusy: BusyPolicy, onInterrupt: InterruptPolicy) {
        self.itemId = itemId
        self.sha256 = sha256
        self.priority = priority
        self.startAt = startAt
        self.expiresAt = expiresAt
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
    }
}
