/// Where the controller finds a gateway's secret. Synchronous: the handshake runs on an
/// event loop, so a database-backed store should answer from memory.
public protocol GatewaySecretStore: Sendable {
    func secret(forGateway id: String) -> [UInt8]?
}
