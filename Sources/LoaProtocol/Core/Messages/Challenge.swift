/// `challenge` (0x02, controller → gateway, JSON): the chosen version and the controller's
/// fresh 32-byte nonce. Its shape never changes across protocol versions.
public struct Challenge: Codable, Equatable, Sendable {
    public var version: UInt16
    public var nonce: HexBytes

    public init(version: UInt16, nonce: HexBytes) {
        self.version = version
        self.nonce = nonce
    }
}
