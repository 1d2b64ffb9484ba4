/// A fixed table of secrets, for tests and small deployments.
public struct StaticGatewaySecrets: GatewaySecretStore {
    public var secrets: [String: [UInt8]]
    public init(_ secrets: [String: [UInt8]]) { self.secrets = secrets }
    public func secret(forGateway id: String) -> [UInt8]? { secrets[id] }
}
