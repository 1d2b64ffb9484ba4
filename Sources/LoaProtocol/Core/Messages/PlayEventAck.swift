/// `playEventsAck` (0x62, controller → gateway, JSON): these ids are stored; delete them.
public struct PlayEventAck: Codable, Equatable, Sendable {
    public var ids: [String]
    public init(ids: [String]) { self.ids = ids }
}
