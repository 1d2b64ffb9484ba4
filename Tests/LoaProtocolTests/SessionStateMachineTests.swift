import LoaTestSupport
import Testing
@testable import LoaProtocol

/// Both ends driven by events, no sockets: the worked example of docs/PROTOCOL.md.
@Suite struct SessionStateMachineTests {
    let gatewayConfig = GatewaySessionStateMachine.Configuration(gatewayID: "xa-tan-lap-01", secret: Samples.secret)

    /// Runs the handshake up to `ready` on both machines and returns them.
    func handshake() -> (GatewaySessionStateMachine, ControllerSessionStateMachine) {
        var gateway = GatewaySessionStateMachine(configuration: gatewayConfig)
        var controller = ControllerSessionStateMachine()
        _ = controller.connected()
        guard case .send(let hello) = gateway.connected(nonce: Samples.gatewayNonce) else { fatalError("no hello") }
        #expect(hello == Samples.all[0].message)
        guard case .verifyHello(let vetted) = controller.received(hello, now: 0) else { fatalError("no verify") }
        #expect(vetted == Samples.hello)
        guard case .send(let challenge) = controller.helloAccepted(secret: Samples.secret, nonce: Samples.controllerNonce)
        else { fatalError("no challenge") }
        #expect(challenge == .challenge(Samples.challenge))
        guard case .send(let auth) = gateway.received(challenge, now: 0) else { fatalError("no authenticate") }
        #expect(auth == Samples.all[2].message)
        guard case .sessionReady(let id, 1, 120, let reply?) = controller.received(auth, now: 0) else { fatalError("not ready") }
        #expect(id == "xa-tan-lap-01")
        #expect(reply == Samples.all[3].message)
        let r1 = gateway.received(reply, now: 0)
        #expect(r1 == .sessionReady(gatewayID: id, version: 1, heartbeatSeconds: 120, reply: nil))
        return (gateway, controller)
    }

    @Test func handshakeReachesReadyOnBothEnds() {
        let (gateway, controller) = handshake()
        #expect(gateway.state == .ready(version: 1, heartbeatSeconds: 120))
        #expect(controller.state == .ready(gatewayID: "xa-tan-lap-01", version: 1))
    }

    @Test func readySessionsExchangeApplicationMessages() {
        var (gateway, controller) = handshake()
        let update = Message.scheduleUpdate(ScheduleUpdate(version: 3, document: [1]))
        let r2 = controller.send(update)
        #expect(r2 == .send(update))
        let r3 = gateway.received(update, now: 0)
        #expect(r3 == .deliver(update))
        let r4 = gateway.send(.scheduleAck(ScheduleAck(version: 3)))
        #expect(r4 == .send(.scheduleAck(ScheduleAck(version: 3))))
        let r5 = gateway.send(update)
        #expect(r5 == .none, "a gateway may not send a controller-only message")
        let r6 = controller.received(.heartbeat, now: 0)
        #expect(r6 == .none)
        let r7 = controller.received(.clockRequest(ClockRequest(t1: 5)), now: 9)
        #expect(r7 == .send(.clockReply(ClockReply(t1: 5, t2: 9, t3: 9))))
        let r8 = gateway.received(.clockReply(ClockReply(t1: 5, t2: 9, t3: 9)), now: 12)
        #expect(r8
            == .deliverClockSample(ClockSample(t1: 5, t2: 9, t3: 9, t4: 12)))
    }

    @Test func scheduleBeforeAuthenticationIsRefused() {
        var gateway = GatewaySessionStateMachine(configuration: gatewayConfig)
        _ = gateway.connected(nonce: Samples.gatewayNonce)
        let update = Message.scheduleUpdate(ScheduleUpdate(version: 1, document: []))
        let r9 = gateway.received(update, now: 0)
        #expect(r9
            == .closeWithError(.unexpectedMessage(type: "scheduleUpdate", state: "authenticating"), notifyPeer: true))
        #expect(gateway.state == .closing)

        var controller = ControllerSessionStateMachine()
        _ = controller.connected()
        let r10 = controller.received(.healthReport(HealthReport()), now: 0)
        #expect(r10
            == .closeWithError(.unexpectedMessage(type: "healthReport", state: "authenticating"), notifyPeer: true))
        let r11 = controller.send(update)
        #expect(r11 == .none)
    }

    @Test func wrongGatewayProofIsRejected() {
        var controller = ControllerSessionStateMachine()
        _ = controller.connected()
        _ = controller.received(.hello(Samples.hello), now: 0)
        _ = controller.helloAccepted(secret: Samples.secret, nonce: Samples.controllerNonce)
        let forged = Message.authenticate(Authenticate(mac: HexBytes([UInt8](repeating: 0, count: 32))))
        let r12 = controller.received(forged, now: 0)
        #expect(r12 == .rejectProof(gatewayID: "xa-tan-lap-01"))
        let error = ProtocolError.wrongSecret(gatewayID: "xa-tan-lap-01", attempt: 1, retryAfterSeconds: 2)
        let r13 = controller.rejected(error)
        #expect(r13 == .closeWithError(error, notifyPeer: true))
    }

    @Test func fakeControllerIsRejectedByTheGateway() {
        var gateway = GatewaySessionStateMachine(configuration: gatewayConfig)
        _ = gateway.connected(nonce: Samples.gatewayNonce)
        _ = gateway.received(.challenge(Samples.challenge), now: 0)
        let fake = Message.authenticated(Authenticated(mac: HexBytes([UInt8](repeating: 7, count: 32)), heartbeatSeconds: 1))
        let r14 = gateway.received(fake, now: 0)
        #expect(r14 == .closeWithError(.controllerProofInvalid, notifyPeer: true))
        let r15 = gateway.send(.heartbeat)
        #expect(r15 == .none)
    }

    @Test func versionMismatchIsRefusedWithBothRanges() {
        var controller = ControllerSessionStateMachine(configuration: .init(versions: 2...3))
        _ = controller.connected()
        _ = controller.received(.hello(Samples.hello), now: 0)
        let r16 = controller.helloAccepted(secret: Samples.secret, nonce: Samples.controllerNonce)
        #expect(r16
            == .closeWithError(.unsupportedVersion(offered: 1...1, supported: 2...3), notifyPeer: true))
    }

    @Test func unknownExtensionFramesAreSkippedButUnknownCoreTypesClose() {
        var (gateway, _) = handshake()
        let r17 = gateway.received(Frame(type: 0x90, payload: [1, 2]), now: 0)
        #expect(r17 == .none)
        let r18 = gateway.received(Frame(type: 0x7F), now: 0)
        #expect(r18 == .closeWithError(.unknownMessageType(0x7F), notifyPeer: true))
    }

    @Test func fatalPeerErrorClosesAndNonFatalIsDelivered() {
        var (gateway, _) = handshake()
        let notFound = ErrorMessage(code: ErrorCode.contentNotFound.rawValue, message: "no such content")
        let r19 = gateway.received(.error(notFound), now: 0)
        #expect(r19 == .deliver(.error(notFound)))
        let fatal = ErrorMessage(code: 20, message: "idle")
        let r20 = gateway.received(.error(fatal), now: 0)
        #expect(r20 == .closeWithError(.remote(code: 20, message: "idle"), notifyPeer: false))
    }

    @Test func timeoutsCloseOnlyInTheirPhase() {
        var gateway = GatewaySessionStateMachine(configuration: gatewayConfig)
        _ = gateway.connected(nonce: Samples.gatewayNonce)
        let r21 = gateway.idleTimedOut(afterSeconds: 1)
        #expect(r21 == .none)
        let r22 = gateway.handshakeTimedOut(afterSeconds: 15)
        #expect(r22 == .closeWithError(.handshakeTimedOut(seconds: 15), notifyPeer: true))
        var (_, controller) = handshake()
        let r23 = controller.handshakeTimedOut(afterSeconds: 15)
        #expect(r23 == .none)
        let r24 = controller.idleTimedOut(afterSeconds: 360)
        #expect(r24 == .closeWithError(.heartbeatTimedOut(seconds: 360), notifyPeer: true))
    }
}

@Suite struct VersioningAndBackoffTests {
    @Test func v1GatewayAndV2ControllerAgreeOnV1() {
        var gateway = GatewaySessionStateMachine(configuration: .init(gatewayID: "g", secret: [1], versions: 1...1))
        var controller = ControllerSessionStateMachine(configuration: .init(versions: 1...2))
        _ = controller.connected()
        guard case .send(let hello) = gateway.connected(nonce: Samples.gatewayNonce) else { Issue.record("no hello"); return }
        _ = controller.received(hello, now: 0)
        let challenge = controller.helloAccepted(secret: [1], nonce: Samples.controllerNonce)
        #expect(challenge == .send(.challenge(Challenge(version: 1, nonce: HexBytes(Samples.controllerNonce)))))
        guard case .send(let challengeMessage) = challenge, case .send(let auth) = gateway.received(challengeMessage, now: 0) else {
            Issue.record("no authenticate")
            return
        }
        guard case .sessionReady(_, 1, _, let reply?) = controller.received(auth, now: 0) else { Issue.record("not ready"); return }
        let ready = gateway.received(reply, now: 0)
        #expect(ready == .sessionReady(gatewayID: "g", version: 1, heartbeatSeconds: 120, reply: nil))
    }

    @Test func gatewayRefusesAVersionItDidNotOffer() {
        var gateway = GatewaySessionStateMachine(configuration: .init(gatewayID: "g", secret: [1], versions: 1...1))
        _ = gateway.connected(nonce: Samples.gatewayNonce)
        let action = gateway.received(.challenge(Challenge(version: 2, nonce: HexBytes(Samples.controllerNonce))), now: 0)
        #expect(action == .closeWithError(.unsupportedVersion(offered: 2...2, supported: 1...1), notifyPeer: true))
    }

    @Test func backoffGrowsWithJitterUpToTheCapAndHonoursRetryAfter() {
        var rng = SeededGenerator(state: 7)
        var backoff = ReconnectBackoff(baseMs: 1_000, capMs: 8_000)
        let delays = (0..<6).map { _ in backoff.nextDelayMs(using: &rng) }
        for (i, delay) in delays.enumerated() {
            let ceiling = min(8_000, Int64(1_000) << Int64(i))
            #expect((ceiling / 2...ceiling).contains(delay), "attempt \(i): \(delay) ms")
        }
        #expect(backoff.nextDelayMs(retryAfterMs: 60_000, using: &rng) == 60_000)
        backoff.reset()
        #expect(backoff.nextDelayMs(using: &rng) <= 1_000)
    }
}
