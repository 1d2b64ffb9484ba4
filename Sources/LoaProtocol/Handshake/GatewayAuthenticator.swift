import NIOConcurrencyHelpers

/// The controller-wide half of authentication, shared by every connection: the secret
/// store, the nonce replay cache, the per-gateway-id throttle and the per-address budget.
///
/// An unknown gateway id is refused exactly like a wrong secret, so ids cannot be enumerated:
/// its hello is challenged with a random decoy key that no proof can match, and the failure
/// after `authenticate` goes through the same per-id throttle with the same error, code 10 and
/// `retryAfterSeconds` (docs/PROTOCOL.md §3). Failures count against their id and against the
/// peer address's large `AddressBudget`, never against other ids behind the same address.
public final class GatewayAuthenticator: Sendable {
    private struct Memory: Sendable {
        var replay: NonceReplayCache
        var gateways: AuthThrottle
        var addresses: AddressBudget
    }

    /// Length of the decoy key an unknown id is challenged with (that of a real secret's text).
    static let decoyKeyLength = 44

    private let secrets: any GatewaySecretStore
    private let memory: NIOLockedValueBox<Memory>

    public init(secrets: any GatewaySecretStore, replayCache: NonceReplayCache = .init(),
                gatewayThrottle: AuthThrottle = .init(), addressBudget: AddressBudget = .init()) {
        self.secrets = secrets
        self.memory = NIOLockedValueBox(Memory(replay: replayCache, gateways: gatewayThrottle, addresses: addressBudget))
    }

    /// Vets a hello: throttles first (so a refused attempt costs no lookup), then the replay
    /// cache, then the registry. Returns the key to check the proof with — the gateway's
    /// secret, or a random decoy for an unknown id — or the error to close with.
    public func admit(_ hello: Hello, peer: String, nowMs: Int64) -> Result<[UInt8], ProtocolError> {
        memory.withLockedValue { m in
            let gateway = Self.gatewayKey(hello.gatewayId)
            if case .refused(let until, _) = m.gateways.check(gateway, now: nowMs) {
                return .failure(.throttled(key: gateway, retryAfterSeconds: AuthThrottle.seconds(until: until, now: nowMs)))
            }
            let address = Self.peerKey(peer)
            if case .refused(let until, _) = m.addresses.check(address, now: nowMs) {
                return .failure(.throttled(key: address, retryAfterSeconds: AuthThrottle.seconds(until: until, now: nowMs)))
            }
            // Every id's nonces are remembered, known or not, so a replay does not tell them apart.
            guard m.replay.insert(gatewayID: hello.gatewayId, nonce: hello.nonce.bytes, now: nowMs) else {
                m.addresses.recordFailure(address, now: nowMs)
                return .failure(.replayedNonce(gatewayID: hello.gatewayId))
            }
            return .success(secrets.secret(forGateway: hello.gatewayId) ?? Self.decoyKey())
        }
    }

    /// Records a failed proof against the gateway id and the peer address; returns the error
    /// to close with (`unknownGateway` or `wrongSecret`: the same on the wire).
    public func proofFailed(gatewayID: String, peer: String, nowMs: Int64) -> ProtocolError {
        let known = secrets.secret(forGateway: gatewayID) != nil
        return memory.withLockedValue { m in
            m.addresses.recordFailure(Self.peerKey(peer), now: nowMs)
            let (attempt, until) = m.gateways.recordFailure(Self.gatewayKey(gatewayID), now: nowMs)
            let seconds = AuthThrottle.seconds(until: until, now: nowMs)
            return known ? .wrongSecret(gatewayID: gatewayID, attempt: attempt, retryAfterSeconds: seconds)
                : .unknownGateway(gatewayID: gatewayID, attempt: attempt, retryAfterSeconds: seconds)
        }
    }

    /// Clears the gateway's failure count after a good handshake.
    public func succeeded(gatewayID: String, peer: String) {
        memory.withLockedValue { m in m.gateways.recordSuccess(Self.gatewayKey(gatewayID)) }
    }

    /// Failures the address may still cause before it is throttled.
    public func remainingFailures(peer: String, nowMs: Int64) -> Int {
        memory.withLockedValue { $0.addresses.remaining(Self.peerKey(peer), now: nowMs) }
    }

    static func decoyKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<decoyKeyLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func gatewayKey(_ id: String) -> String { "gateway '\(id)'" }
    static func peerKey(_ peer: String) -> String { "peer \(peer)" }
}
