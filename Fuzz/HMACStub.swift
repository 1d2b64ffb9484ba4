// Fuzz build only: stands in for HandshakeProof+HMAC.swift (swift-crypto is not compiled into
// the fuzzer). Every proof is 32 zero bytes, so the fuzzer can reach the ready state with an
// all-zero MAC and explore it; nothing here is used by the real library.
extension HandshakeProof {
    func hmac(label: String, secret: [UInt8]) -> [UInt8] {
        _ = transcript
        return [UInt8](repeating: 0, count: 32)
    }
}
