/// `contentRequest` (0x30, gateway → controller, JSON): send content `sha256` from `offset`.
public struct ContentRequest: Codable, Equatable, Sendable {
    public var sha256: ContentHash
    public var offset: UInt64
    public init(sha256: ContentHash, offset: UInt64) {
        self.sha256 = sha256
        self.offset = offset
    }
}

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

/// `contentEnd` (0x32, controller → gateway, binary `hash[32] | u64 size`): all bytes sent.
public struct ContentEnd: Equatable, Sendable {
    public var sha256: ContentHash
    public var size: UInt64
    public init(sha256: ContentHash, size: UInt64) {
        self.sha256 = sha256
        self.size = size
    }
}
