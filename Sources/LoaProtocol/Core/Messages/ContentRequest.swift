/// `contentRequest` (0x30, gateway → controller, JSON): send content `sha256` from `offset`.
public struct ContentRequest: Codable, Equatable, Sendable {
    public var sha256: ContentHash
    public var offset: UInt64
    public init(sha256: ContentHash, offset: UInt64) {
        self.sha256 = sha256
        self.offset = offset
    }
}
