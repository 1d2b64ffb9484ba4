/// `authenticated` (0x04, controller → gateway, JSON): the controller's HMAC proof and the
/// session parameters the gateway should use.
public struct Authenticated: Codable, Equatable, Sendable {
    public var mac: HexBytes
    public var heartbeatSeconds: UInt32

    public init(mac: HexBytes, heartbeatSeconds: UInt32) {
        self.mac = mac
        self.heartbeatSeconds = heartbeatSeconds
    }
}
