/// The HMAC-SHA256 proofs of the handshake. Both proofs cover the same transcript (offered
/// versions, chosen version, gateway id, both nonces), so a downgrade, a changed id or a
/// replayed nonce breaks them; the labels keep one side's proof from serving as the other's.
///
/// transcript = u16 minVersion | u16 maxVersion | u16 version | u8 len(id) | id | gatewayNonce[32] | controllerNonce[32]
/// gateway proof    = HMAC-SHA256(secret, "loa-gateway-proof"    | transcript)
/// controller proof = HMAC-SHA256(secret, "loa-controller-proof" | transcript)
public struct HandshakeProof: Sendable {
    public static let nonceSize = 32
    public static let maxGatewayIDLength = 64

    public let hello: Hello
    public let challenge: Challenge

    public init(hello: Hello, challenge: Challenge) {
        self.hello = hello
        self.challenge = challenge
    }

    public func gatewayProof(secret: [UInt8]) -> [UInt8] { hmac(label: "loa-gateway-proof", secret: secret) }
    public func controllerProof(secret: [UInt8]) -> [UInt8] { hmac(label: "loa-controller-proof", secret: secret) }

    /// Constant-time comparison of a received proof with the expected one.
    public static func matches(_ received: [UInt8], _ expected: [UInt8]) -> Bool {
        guard received.count == expected.count else { return false }
        var diff: UInt8 = 0
        for i in received.indices { diff |= received[i] ^ expected[i] }
        return diff == 0
    }

    /// A fresh random nonce.
    public static func makeNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<nonceSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The transcript `T` both proofs cover.
    var transcript: [UInt8] {
        var w = WireWriter()
        let id = Array(hello.gatewayId.utf8.prefix(HandshakeProof.maxGatewayIDLength))
        w.write(hello.minVersion)
        w.write(hello.maxVersion)
        w.write(challenge.version)
        w.write(UInt8(id.count))
        w.write(bytes: id)
        w.write(bytes: hello.nonce.bytes)
        w.write(bytes: challenge.nonce.bytes)
        return w.bytes
    }
}
