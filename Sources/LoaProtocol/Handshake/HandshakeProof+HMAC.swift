import Crypto

extension HandshakeProof {
    /// HMAC-SHA256(secret, label | transcript). Kept apart from the rest of the handshake so
    /// the fuzzer can compile the session state machines without swift-crypto.
    func hmac(label: String, secret: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: secret))
        hmac.update(data: Array(label.utf8))
        hmac.update(data: transcript)
        return Array(hmac.finalize())
    }
}
