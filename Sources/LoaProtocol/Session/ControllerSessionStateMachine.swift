/// The controller's end of a session: connecting → authenticating → ready → closing → closed.
///
/// The controller waits for `hello`, asks its handler to vet it (`verifyHello`: registered?
/// throttled? nonce replayed?), challenges, checks the gateway's proof, proves itself back,
/// and only then accepts application messages. Each event returns one action.
public struct ControllerSessionStateMachine: Sendable {
    /// Session parameters this controller hands to gateways.
    public struct Configuration: Sendable {
        public var versions: ClosedRange<UInt16>
        public var heartbeatSeconds: UInt32

        public init(versions: ClosedRange<UInt16> = ProtocolVersion.supported, heartbeatSeconds: UInt32 = 120) {
            self.versions = versions
            self.heartbeatSeconds = heartbeatSeconds
        }
    }

    /// Where the controller is in the session; the secret is held only while awaiting the proof.
    public enum State: Equatable, Sendable {
        case connecting
        case awaitingHello
        case verifyingHello(Hello)
        case awaitingProof(Hello, Challenge, secret: GatewaySecret)
        case ready(gatewayID: String, version: UInt16)
        case closing
        case closed

        public var phase: SessionPhase {
            switch self {
            case .connecting: .connecting
            case .awaitingHello, .verifyingHello, .awaitingProof: .authenticating
            case .ready: .ready
            case .closing: .closing
            case .closed: .closed
            }
        }
    }

    public let configuration: Configuration
    public private(set) var state: State = .connecting

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// A gateway connected; wait for its hello.
    public mutating func connected() -> SessionAction {
        if case .connecting = state { state = .awaitingHello }
        return .none
    }

    /// A frame arrived; `now` is the controller clock in ns (stamps t2/t3 of clock replies).
    public mutating func received(_ frame: Frame, now: Int64) -> SessionAction {
        switch SessionFrameCheck.decode(frame, phase: state.phase) {
        case .failure(let error): return fail(error)
        case .success(nil): return .none
        case .success(let message?): return received(message, now: now)
        }
    }

    /// A decoded message arrived.
    public mutating func received(_ message: Message, now: Int64) -> SessionAction {
        let type = message.frameType
        if case .error(let error) = message {
            if error.isFatal { state = .closing }
            return SessionFrameCheck.peerError(error)
        }
        guard SessionFrameCheck.isAllowed(type, toward: .gatewayToController) else { return unexpected(type) }
        switch (state, message) {
        case (.awaitingHello, .hello(let hello)):
            return vet(hello)
        case (.awaitingProof(let hello, let challenge, let secret), .authenticate(let auth)):
            let proof = HandshakeProof(hello: hello, challenge: challenge)
            guard HandshakeProof.matches(auth.mac.bytes, proof.gatewayProof(secret: secret.bytes)) else {
                state = .closing
                return .rejectProof(gatewayID: hello.gatewayId)
            }
            state = .ready(gatewayID: hello.gatewayId, version: challenge.version)
            let reply = Authenticated(mac: HexBytes(proof.controllerProof(secret: secret.bytes)),
                                      heartbeatSeconds: configuration.heartbeatSeconds)
            return .sessionReady(gatewayID: hello.gatewayId, version: challenge.version,
                                 heartbeatSeconds: configuration.heartbeatSeconds, reply: .authenticated(reply))
        case (.ready, .heartbeat):
            return .none
        case (.ready, .clockRequest(let request)):
            return .send(.clockReply(ClockReply(t1: request.t1, t2: now, t3: now)))
        case (.ready, _) where !type.isHandshake:
            return .deliver(message)
        case (.closing, _), (.closed, _):
            return .none
        default:
            return unexpected(type)
        }
    }

    /// The handler vetted the hello and found the gateway's secret: challenge it.
    public mutating func helloAccepted(secret: [UInt8], nonce: [UInt8]) -> SessionAction {
        guard case .verifyingHello(let hello) = state else { return .none }
        guard let version = ProtocolVersion.negotiate(offered: hello.minVersion...hello.maxVersion,
                                                      supported: configuration.versions) else {
            return fail(.unsupportedVersion(offered: hello.minVersion...hello.maxVersion, supported: configuration.versions))
        }
        let challenge = Challenge(version: version, nonce: HexBytes(nonce))
        state = .awaitingProof(hello, challenge, secret: GatewaySecret(secret))
        return .send(.challenge(challenge))
    }

    /// The handler refused the hello (unknown gateway, throttled, replayed nonce) or the
    /// proof (wrong secret, with the throttle's attempt count): close with that error.
    public mutating func rejected(_ error: ProtocolError) -> SessionAction {
        guard state.phase != .closed else { return .none }
        state = .closing
        return .closeWithError(error, notifyPeer: true)
    }

    /// The application wants to send `message`; returns `.send` when the state allows it.
    public mutating func send(_ message: Message) -> SessionAction {
        let type = message.frameType
        guard case .ready = state, !type.isHandshake,
              SessionFrameCheck.isAllowed(type, toward: .controllerToGateway) else {
            return .none
        }
        return .send(message)
    }

    public mutating func handshakeTimedOut(afterSeconds seconds: Int64) -> SessionAction {
        guard state.phase == .connecting || state.phase == .authenticating else { return .none }
        return fail(.handshakeTimedOut(seconds: seconds))
    }

    public mutating func idleTimedOut(afterSeconds seconds: Int64) -> SessionAction {
        guard state.phase == .ready else { return .none }
        return fail(.heartbeatTimedOut(seconds: seconds))
    }

    /// The frame decoder or the transport reported a protocol error: close with it.
    public mutating func failed(_ error: ProtocolError) -> SessionAction { fail(error) }

    /// The application asks for an orderly close.
    public mutating func closeRequested() -> SessionAction {
        guard state.phase != .closed, state.phase != .closing else { return .none }
        state = .closing
        return .close
    }

    public mutating func closed() { state = .closed }

    private mutating func vet(_ hello: Hello) -> SessionAction {
        let idLength = hello.gatewayId.utf8.count
        guard (1...HandshakeProof.maxGatewayIDLength).contains(idLength) else {
            return fail(.invalidPayload(type: "hello", reason: "gatewayId must be 1–\(HandshakeProof.maxGatewayIDLength) bytes, is \(idLength)"))
        }
        guard hello.nonce.bytes.count == HandshakeProof.nonceSize else {
            return fail(.invalidPayload(type: "hello", reason: "nonce must be \(HandshakeProof.nonceSize) bytes"))
        }
        guard hello.minVersion <= hello.maxVersion else {
            return fail(.invalidPayload(type: "hello", reason: "minVersion \(hello.minVersion) > maxVersion \(hello.maxVersion)"))
        }
        state = .verifyingHello(hello)
        return .verifyHello(hello)
    }

    private mutating func unexpected(_ type: FrameType) -> SessionAction {
        fail(.unexpectedMessage(type: type.name, state: state.phase.rawValue))
    }

    private mutating func fail(_ error: ProtocolError) -> SessionAction {
        guard state.phase != .closed, state.phase != .closing else { return .none }
        state = .closing
        return .closeWithError(error, notifyPeer: true)
    }
}
