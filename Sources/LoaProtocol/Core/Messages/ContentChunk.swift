/// `contentChunk` (0x31, controller → gateway, binary `hash[32] | u64 offset | bytes`).
public struct ContentChunk: Equatable, Sendable {
    /// Bytes before the data: 32 hash bytes and the 8-byte offset.
    public static let headerSize = 40
    public var sha256: ContentHash
    public var offset: UInt64
    public var bytes: [UInt8]
    public init(sha256: ContentHash, offset: UInt64, bytes: [UInt8]) {
        self.sha256 = sha256
        self.offset = offset
        self.bytes = bytes
    }
}
