/// The gateway's end of a session: connecting → authenticating → ready → closing → closed.
///
/// The gateway speaks first (`hello`), checks the controller's proof before it trusts any
/// command, and only then exchanges application messages. Each event returns one action.
public struct GatewaySessionStateMachine: Sendable {
    /// Who this gateway is and what it speaks.
    public struct Configuration: Sendable, CustomStringConvertible {
        public var gatewayID: String
        public var secret: [UInt8]
        /// Without the secret, so a logged configuration cannot leak it.
        public var description: String {
            "gateway '\(gatewayID)', versions \(versions.lowerBound)...\(versions.upperBound), secret <redacted>"
        }
        public var versions: ClosedRange<UInt16>
        public var software: String?

        public init(gatewayID: String, secret: [UInt8], versions: ClosedRange<UInt16> = ProtocolVersion.supported,
                    software: String? = nil) {
            self.gatewayID = gatewayID
            self.secret = secret
            self.versions = versions
            self.software = software
        }
    }

    /// Where the gateway is in the session; `phase` groups the handshake steps as "authenticating".
    public enum State: Equatable, Sendable {
        case connecting
        case awaitingChallenge(Hello)
        case awaitingAuthenticated(Hello, Challenge)
        case ready(version: UInt16, heartbeatSeconds: UInt32)
        case closing
        case closed

        public var phase: SessionPhase {
            switch self {
            case .connecting: .connecting
            case .awaitingChallenge, .awaitingAuthenticated: .authenticating
            case .ready: .ready
            case .closing: .closing
            case .closed: .closed
            }
        }
    }

    public let configuration: Configuration
    public private(set) var state: State = .connecting

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The TCP (and TLS) connection is up: say hello with a fresh nonce.
    public mutating func connected(nonce: [UInt8]) -> SessionAction {
        guard case .connecting = state else { return .none }
        let hello = Hello(gatewayId: configuration.gatewayID, minVersion: configuration.versions.lowerBound,
                          maxVersion: configuration.versions.upperBound, nonce: HexBytes(nonce),
                          software: configuration.software)
        state = .awaitingChallenge(hello)
        return .send(.hello(hello))
    }

    /// A frame arrived; `now` is the gateway clock in ns (stamps t4 of clock replies).
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
        guard SessionFrameCheck.isAllowed(type, toward: .controllerToGateway) else { return unexpected(type) }
        switch (state, message) {
        case (.awaitingChallenge(let hello), .challenge(let challenge)):
            return answer(hello: hello, challenge: challenge)
        case (.awaitingAuthenticated(let hello, let challenge), .authenticated(let reply)):
            let expected = HandshakeProof(hello: hello, challenge: challenge).controllerProof(secret: configuration.secret)
            guard HandshakeProof.matches(reply.mac.bytes, expected) else { return fail(.controllerProofInvalid) }
            state = .ready(version: challenge.version, heartbeatSeconds: reply.heartbeatSeconds)
            return .sessionReady(gatewayID: hello.gatewayId, version: challenge.version,
                                 heartbeatSeconds: reply.heartbeatSeconds, reply: nil)
        case (.ready, .clockReply(let reply)):
            return .deliverClockSample(ClockSample(reply: reply, receivedAt: now))
        case (.ready, _) where !type.isHandshake:
            return .deliver(message)
        case (.closing, _), (.closed, _):
            return .none
        default:
            return unexpected(type)
        }
    }

    /// The application wants to send `message`; returns `.send` when the state allows it.
    public mutating func send(_ message: Message) -> SessionAction {
        let type = message.frameType
        guard case .ready = state, !type.isHandshake,
              SessionFrameCheck.isAllowed(type, toward: .gatewayToController) else {
            return .none
        }
        return .send(message)
    }

    /// The handshake did not finish in time.
    public mutating func handshakeTimedOut(afterSeconds seconds: Int64) -> SessionAction {
        guard state.phase == .connecting || state.phase == .authenticating else { return .none }
        return fail(.handshakeTimedOut(seconds: seconds))
    }

    /// Nothing arrived for too long.
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

    /// The connection is gone.
    public mutating func closed() { state = .closed }

    private mutating func answer(hello: Hello, challenge: Challenge) -> SessionAction {
        guard configuration.versions.contains(challenge.version),
              hello.minVersion...hello.maxVersion ~= challenge.version else {
            return fail(.unsupportedVersion(offered: challenge.version...challenge.version, supported: configuration.versions))
        }
        guard challenge.nonce.bytes.count == HandshakeProof.nonceSize else {
            return fail(.invalidPayload(type: "challenge", reason: "nonce must be \(HandshakeProof.nonceSize) bytes"))
        }
        let mac = HandshakeProof(hello: hello, challenge: challenge).gatewayProof(secret: configuration.secret)
        state = .awaitingAuthenticated(hello, challenge)
        return .send(.authenticate(Authenticate(mac: HexBytes(mac))))
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
