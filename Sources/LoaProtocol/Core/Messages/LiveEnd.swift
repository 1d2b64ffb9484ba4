/// `liveEnd` (0x52, controller → gateway, JSON): the stream ended on purpose.
public struct LiveEnd: Codable, Equatable, Sendable {
    public var streamId: UInt32
    public var reason: String?
    public init(streamId: UInt32, reason: String? = nil) {
        self.streamId = streamId
        self.reason = reason
    }
}
