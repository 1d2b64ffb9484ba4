/// What an item does when it arrives at a gateway that is already playing something.
public enum BusyPolicy: String, Codable, Sendable, CaseIterable {
    case preempt, queue, drop
}

/// What happens to an item when something of higher priority interrupts it.
public enum InterruptPolicy: String, Codable, Sendable, CaseIterable {
    case resume, restart, drop
}

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

/// `stop` (0x41, controller → gateway, JSON): stop an announced item or a live stream.
public struct Stop: Codable, Equatable, Sendable {
    public var itemId: String
    public init(itemId: String) { self.itemId = itemId }
}
