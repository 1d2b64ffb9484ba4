import Crypto
import Foundation

/// A gateway's shared secret for the handshake's HMAC. Its description is redacted so it
/// does not leak into logs.
public struct GatewaySecret: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// 32 random bytes from the system's secure generator.
    public static func random() -> GatewaySecret {
        GatewaySecret(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// The secret as the key for HMAC-SHA256.
    public var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

    /// For showing once to the person setting up the gateway.
    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { "GatewaySecret(\(bytes.count) bytes, redacted)" }
}
