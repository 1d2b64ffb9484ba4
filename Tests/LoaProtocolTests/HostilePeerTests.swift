import NIOCore
import NIOEmbedded
import Testing
@testable import LoaProtocol

/// Issue 13's protocol findings, each at the level where it is decided: the frame decoder, the
/// state machine, the authenticator's throttles, the controller's channel handler.
@Suite struct HostilePeerTests {
    // Finding 4: extension frames before hello opened the 1 MiB limit and were skipped.

    @Test func extensionFramesDoNotOpenTheFullFrameLimit() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        let extensions = Frame(type: 0x90, payload: [UInt8](repeating: 1, count: 4000)).serialized()
            + Frame(type: 0x91, payload: [UInt8](repeating: 2, count: 4000)).serialized()
        #expect(throws: ProtocolError.frameTooLarge(length: 200_000, limit: 4096)) {
            try channel.writeInbound(ByteBuffer(bytes: extensions + [0x00, 0x03, 0x0D, 0x40, 0x01]))
        }
        _ = try? channel.finish()
    }

    @Test func extensionFrameBeforeTheSessionIsReadyCloses() {
        var controller = ControllerSessionStateMachine()
        _ = controller.connected()
        let action = controller.received(Frame(type: 0x90, payload: [1]), now: 0)
        #expect(action == .closeWithError(.unexpectedMessage(type: "extension 0x90", state: "authenticating"), notifyPeer: true))
        var gateway = GatewaySessionStateMachine(configuration: .init(gatewayID: "g", secret: Samples.secret))
        _ = gateway.connected(nonce: Samples.gatewayNonce)
        let gatewayAction = gateway.received(Frame(type: 0xFF), now: 0)
        #expect(gatewayAction == .closeWithError(.unexpectedMessage(type: "extension 0xff", state: "authenticating"), notifyPeer: true))
    }

    @Test func extensionFrameThenHelloOnTheWireIsRefusedWithCode5() throws {
        let channel = try TestSupport.controllerChannel()
        let bytes = Frame(type: 0x90, payload: [UInt8](repeating: 0, count: 100)).serialized()
            + MessageCodec.encode(.hello(Samples.hello)).serialized()
        #expect(throws: ProtocolError.self) { try channel.writeInbound(ByteBuffer(bytes: bytes)) }
        #expect(TestSupport.lastErrorCode(try TestSupport.written(channel)) == ErrorCode.unexpectedMessage.rawValue)
        #expect(!channel.isActive)
    }

    // Finding 8: a truncated frame closed without the malformedFrame error frame.

    @Test func truncatedFrameIsAnsweredWithMalformedFrameBeforeTheClose() throws {
        let channel = try TestSupport.controllerChannel()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 50, 0x01, 0x7B]))
        // What a socket with allowRemoteHalfClosure reports on the peer's EOF.
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(throws: ProtocolError.truncatedFrame(expected: 54, available: 6)) { try channel.throwIfErrorCaught() }
        #expect(TestSupport.lastErrorCode(try TestSupport.written(channel)) == ErrorCode.malformedFrame.rawValue)
        #expect(!channel.isActive)
    }

    @Test func cleanEOFClosesTheSession() throws {
        let channel = try TestSupport.controllerChannel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try TestSupport.written(channel).isEmpty)
        #expect(!channel.isActive)
    }

    // Finding 9: an unknown id was refused after hello, a wrong secret after authenticate.

    @Test func unknownIdAndWrongSecretProduceTheSameFrames() throws {
        let secrets = StaticGatewaySecrets(["xa-tan-lap-01": Samples.secret])
        func attempt(_ id: String) throws -> [Message] {
            let channel = try TestSupport.controllerChannel(authenticator: GatewayAuthenticator(secrets: secrets))
            var hello = Samples.hello
            hello.gatewayId = id
            try channel.writeInbound(TestSupport.bytes(.hello(hello)))
            let wrong = Message.authenticate(Authenticate(mac: HexBytes([UInt8](repeating: 0xAB, count: 32))))
            #expect(throws: ProtocolError.self) { try channel.writeInbound(TestSupport.bytes(wrong)) }
            #expect(!channel.isActive)
            return try TestSupport.written(channel)
        }
        let known = try attempt("xa-tan-lap-01")
        let unknown = try attempt("xa-khong-co-01")
        #expect(known == unknown, "wrong secret: \(known), unknown id: \(unknown)")
        #expect(known.count == 2)
        guard case .challenge? = known.first, case .error(let error)? = known.last else {
            Issue.record("expected a challenge, then an error: \(known)")
            return
        }
        #expect(error == ErrorMessage(code: 10, message: "authentication failed", retryAfterSeconds: 2))
    }

    @Test func unknownIdIsChallengedWithADecoyAndThrottledPerId() {
        let authenticator = GatewayAuthenticator(secrets: StaticGatewaySecrets([:]))
        var hello = Samples.hello
        hello.gatewayId = "nobody"
        guard case .success(let decoy) = authenticator.admit(hello, peer: "10.0.0.2", nowMs: 0) else {
            Issue.record("an unknown id must be challenged like a known one")
            return
        }
        #expect(decoy.count == GatewayAuthenticator.decoyKeyLength)
        let error = authenticator.proofFailed(gatewayID: "nobody", peer: "10.0.0.2", nowMs: 0)
        #expect(error == .unknownGateway(gatewayID: "nobody", attempt: 1, retryAfterSeconds: 2))
        #expect(error.description.contains("not registered"), "the log still says why")
        hello.nonce = HexBytes([UInt8](repeating: 3, count: 32))
        #expect(authenticator.admit(hello, peer: "10.0.0.2", nowMs: 1_000)
            == .failure(.throttled(key: "gateway 'nobody'", retryAfterSeconds: 1)))
    }

    // Finding 6: 21 unknown ids from one address locked every gateway behind it out.

    @Test func hundredsOfUnknownIdsBehindOneAddressDoNotLockOutItsGateways() {
        let authenticator = GatewayAuthenticator(secrets: StaticGatewaySecrets(["xa-tan-lap-01": Samples.secret]))
        let nat = "100.64.0.1"
        for i in 0..<250 {
            var hello = Samples.hello
            hello.gatewayId = "xa-sai-\(i)"
            hello.nonce = HexBytes(Self.nonce(i))
            guard case .success = authenticator.admit(hello, peer: nat, nowMs: Int64(i) * 100) else {
                Issue.record("unknown id \(i) was throttled by its address")
                return
            }
            _ = authenticator.proofFailed(gatewayID: hello.gatewayId, peer: nat, nowMs: Int64(i) * 100)
        }
        #expect(authenticator.admit(Samples.hello, peer: nat, nowMs: 25_000) == .success(Samples.secret))
    }

    @Test func aMisconfiguredBoardRetryingForADayNeverThrottlesItsAddress() {
        let authenticator = GatewayAuthenticator(secrets: StaticGatewaySecrets(["xa-tan-lap-01": Samples.secret, "xa-hong-01": [9]]))
        let nat = "100.64.0.2"
        var now: Int64 = 0
        var attempts = 0
        var hello = Samples.hello
        hello.gatewayId = "xa-hong-01"
        // It obeys retryAfterSeconds, as ReconnectBackoff does, for 24 hours.
        while now < 24 * 3_600_000 {
            attempts += 1
            hello.nonce = HexBytes(Self.nonce(attempts))
            switch authenticator.admit(hello, peer: nat, nowMs: now) {
            case .success:
                let error = authenticator.proofFailed(gatewayID: hello.gatewayId, peer: nat, nowMs: now)
                now += max(1, error.retryAfterSeconds ?? 1) * 1000
            case .failure(let error):
                now += max(1, error.retryAfterSeconds ?? 1) * 1000
            }
            var neighbour = Samples.hello
            neighbour.nonce = HexBytes(Self.nonce(1_000_000 + attempts))
            guard authenticator.admit(neighbour, peer: nat, nowMs: now) == .success(Samples.secret) else {
                Issue.record("the neighbour was refused after \(attempts) attempts at \(now / 1000) s")
                return
            }
            authenticator.succeeded(gatewayID: neighbour.gatewayId, peer: nat)
        }
        #expect(authenticator.remainingFailures(peer: nat, nowMs: now) > 250)
    }

    @Test func aFloodOfGuessesFromOneAddressIsThrottledThenForgiven() {
        let authenticator = GatewayAuthenticator(secrets: StaticGatewaySecrets(["xa-tan-lap-01": Samples.secret]),
                                                 addressBudget: AddressBudget(burst: 300, refillMs: 2_000))
        let attacker = "203.0.113.9"
        for i in 0..<300 {
            var hello = Samples.hello
            hello.gatewayId = "guess-\(i)"
            hello.nonce = HexBytes(Self.nonce(i))
            _ = authenticator.admit(hello, peer: attacker, nowMs: 0)
            _ = authenticator.proofFailed(gatewayID: hello.gatewayId, peer: attacker, nowMs: 0)
        }
        var hello = Samples.hello
        hello.nonce = HexBytes(Self.nonce(999))
        #expect(authenticator.admit(hello, peer: attacker, nowMs: 0)
            == .failure(.throttled(key: "peer \(attacker)", retryAfterSeconds: 2)))
        #expect(authenticator.admit(hello, peer: "198.51.100.1", nowMs: 0) == .success(Samples.secret),
                "another address is not affected")
        hello.nonce = HexBytes(Self.nonce(1_000))
        #expect(authenticator.admit(hello, peer: attacker, nowMs: 2_000) == .success(Samples.secret), "one failure forgiven per 2 s")
    }

    @Test func throttleAndBudgetMemoryIsBounded() {
        var throttle = AuthThrottle(maxEntries: 1_000)
        var budget = AddressBudget(maxEntries: 1_000)
        for i in 0..<5_000 {
            throttle.recordFailure("gateway 'g-\(i)'", now: Int64(i))
            budget.recordFailure("peer 10.0.\(i / 256).\(i % 256)", now: Int64(i))
        }
        #expect(throttle.count <= 1_000)
        #expect(budget.count <= 1_000)
        #expect(throttle.check("gateway 'g-4999'", now: 5_000) != .allowed, "the newest are kept")
    }

    static func nonce(_ i: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: UInt64(i).bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        bytes[31] = 0x5A
        return bytes
    }
}
