/// `stop` (0x41, controller → gateway, JSON): stop an announced item or a live stream.
public struct Stop: Codable, Equatable, Sendable {
    public var itemId: String
    public init(itemId: String) { self.itemId = itemId }
}
