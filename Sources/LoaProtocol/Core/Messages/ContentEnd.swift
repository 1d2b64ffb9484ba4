/// `contentEnd` (0x32, controller → gateway, binary `hash[32] | u64 size`): all bytes sent.
public struct ContentEnd: Equatable, Sendable {
    public var sha256: ContentHash
    public var size: UInt64
    public init(sha256: ContentHash, size: UInt64) {
        self.sha256 = sha256
        self.size = size
    }
}
