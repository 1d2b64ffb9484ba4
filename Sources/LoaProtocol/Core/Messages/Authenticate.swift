/// `authenticate` (0x03, gateway → controller, JSON): the gateway's HMAC proof.
public struct Authenticate: Codable, Equatable, Sendable {
    public var mac: HexBytes

    public init(mac: HexBytes) { self.mac = mac }
}
