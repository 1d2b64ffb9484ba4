/// `hello` (0x01, gateway → controller, JSON): who the gateway is, which versions it speaks,
/// and its fresh 32-byte nonce. Its shape never changes across protocol versions.
public struct Hello: Codable, Equatable, Sendable {
    public var gatewayId: String
    public var minVersion: UInt16
    public var maxVersion: UInt16
    public var nonce: HexBytes
    public var software: String?

    public init(gatewayId: String, minVersion: UInt16, maxVersion: UInt16, nonce: HexBytes, software: String? = nil) {
        self.gatewayId = gatewayId
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.nonce = nonce
        self.software = software
    }
}
