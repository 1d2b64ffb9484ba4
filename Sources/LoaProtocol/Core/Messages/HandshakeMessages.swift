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

/// `authenticate` (0x03, gateway → controller, JSON): the gateway's HMAC proof.
public struct Authenticate: Codable, Equatable, Sendable {
    public var mac: HexBytes

    public init(mac: HexBytes) { self.mac = mac }
}

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

/// `error` (0x0F, either way, JSON): a code from `ErrorCode` (kept raw so a newer peer's codes
/// still decode), a human message, and an optional retry delay.
public struct ErrorMessage: Codable, Equatable, Sendable {
    public var code: UInt16
    public var message: String
    public var retryAfterSeconds: Int64?

    public init(code: UInt16, message: String, retryAfterSeconds: Int64? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public init(_ error: ProtocolError) {
        self.init(code: error.code.rawValue, message: error.wireMessage, retryAfterSeconds: error.retryAfterSeconds)
    }

    /// Whether the sender closes after this frame (codes below 100).
    public var isFatal: Bool { code < 100 }
}
