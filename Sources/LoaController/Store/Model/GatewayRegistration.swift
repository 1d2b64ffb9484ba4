/// What creating a gateway returns: the stored gateway and its secret, in clear this once.
public struct GatewayRegistration: Sendable, Equatable {
    public var gateway: Gateway
    public var secret: GatewaySecret

    public init(gateway: Gateway, secret: GatewaySecret) {
        self.gateway = gateway
        self.secret = secret
    }
}
