import NIOConcurrencyHelpers

/// The controller-wide half of authentication, shared by every connection: the secret
/// store, the nonce replay cache and the throttles (per gateway id and per peer address).
public final class GatewayAuthenticator: Sendable {
    private struct Memory: Sendable {
        var replay: NonceReplayCache
        var gateways: AuthThrottle
        var peers: AuthThrottle
    }

    private let secrets: any GatewaySecretStore
    private let memory: NIOLockedValueBox<Memory>

    /// `peerThrottle` is lenient by default: many gateways on one carrier share a NAT address,
    /// so one misconfigured gateway must not lock out its neighbours.
    public init(secrets: any GatewaySecretStore, replayCache: NonceReplayCache = .init(),
                gatewayThrottle: AuthThrottle = .init(), peerThrottle: AuthThrottle = .init(freeAttempts: 20)) {
        self.secrets = secrets
        self.memory = NIOLockedValueBox(Memory(replay: replayCache, gateways: gatewayThrottle, peers: peerThrottle))
    }

    /// Vets a hello: throttles first (so a locked-out key costs no lookup), then the registry,
    /// then the replay cache. Returns the gateway's secret or the error to close with.
    public func admit(_ hello: Hello, peer: String, nowMs: Int64) -> Result<[UInt8], ProtocolError> {
        memory.withLockedValue { m in
            let checks = [(Self.gatewayKey(hello.gatewayId), m.gateways), (Self.peerKey(peer), m.peers)]
            for (key, throttle) in checks {
                if case .refused(let until, _) = throttle.check(key, now: nowMs) {
                    return .failure(.throttled(key: key, retryAfterSeconds: AuthThrottle.seconds(until: until, now: nowMs)))
                }
            }
            guard let secret = secrets.secret(forGateway: hello.gatewayId) else {
                m.peers.recordFailure(Self.peerKey(peer), now: nowMs)
                return .failure(.unknownGateway(gatewayID: hello.gatewayId))
            }
            guard m.replay.insert(gatewayID: hello.gatewayId, nonce: hello.nonce.bytes, now: nowMs) else {
                m.peers.recordFailure(Self.peerKey(peer), now: nowMs)
                return .failure(.replayedNonce(gatewayID: hello.gatewayId))
            }
            return .success(secret)
        }
    }

    /// Records a wrong proof against the gateway id and the peer; returns the error to send.
    public func proofFailed(gatewayID: String, peer: String, nowMs: Int64) -> ProtocolError {
        memory.withLockedValue { m in
            m.peers.recordFailure(Self.peerKey(peer), now: nowMs)
            let (attempt, until) = m.gateways.recordFailure(Self.gatewayKey(gatewayID), now: nowMs)
            return .wrongSecret(gatewayID: gatewayID, attempt: attempt,
                                retryAfterSeconds: AuthThrottle.seconds(until: until, now: nowMs))
        }
    }

    /// Clears the gateway's failure count after a good handshake.
    public func succeeded(gatewayID: String, peer: String) {
        memory.withLockedValue { m in
            m.gateways.recordSuccess(Self.gatewayKey(gatewayID))
            m.peers.recordSuccess(Self.peerKey(peer))
        }
    }

    static func gatewayKey(_ id: String) -> String { "gateway '\(id)'" }
    static func peerKey(_ peer: String) -> String { "peer \(peer)" }
}
