import NIOCore
import NIOEmbedded
import Testing
@testable import LoaProtocol

/// The session handlers on EmbeddedChannel, the test writing the peer's bytes.
@Suite struct ChannelHandlerTests {
    @Test func controllerReproducesTheWorkedExampleByteForByte() throws {
        let channel = try TestSupport.controllerChannel()
        let golden = try ProtocolDocument.goldenVectors()
        try channel.writeInbound(ByteBuffer(bytes: golden["hello"]!))
        #expect(try TestSupport.writtenBytes(channel) == golden["challenge"]!)
        try channel.writeInbound(ByteBuffer(bytes: golden["authenticate"]!))
        #expect(try TestSupport.writtenBytes(channel) == golden["authenticated"]!)
        #expect(try channel.readInbound(as: SessionEvent.self) == .ready(gatewayID: "xa-tan-lap-01", version: 1, heartbeatSeconds: 120))
        try channel.writeInbound(TestSupport.bytes(.clockRequest(ClockRequest(t1: 5))))
        let now = TestSupport.fixedClock.now()
        #expect(try TestSupport.written(channel) == [.clockReply(ClockReply(t1: 5, t2: now, t3: now))])
        try channel.writeInbound(TestSupport.bytes(TestSupport.message("playEvents")))
        #expect(try channel.readInbound(as: SessionEvent.self) == .message(TestSupport.message("playEvents")))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func gatewayReproducesTheWorkedExampleAndChecksTheController() throws {
        let channel = try TestSupport.gatewayChannel()
        let golden = try ProtocolDocument.goldenVectors()
        #expect(try TestSupport.writtenBytes(channel) == golden["hello"]!)
        try channel.writeInbound(ByteBuffer(bytes: golden["challenge"]!))
        #expect(try TestSupport.writtenBytes(channel) == golden["authenticate"]!)
        try channel.writeInbound(ByteBuffer(bytes: golden["authenticated"]!))
        #expect(try channel.readInbound(as: SessionEvent.self) == .ready(gatewayID: "xa-tan-lap-01", version: 1, heartbeatSeconds: 120))
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        #expect(try TestSupport.written(channel) == [.heartbeat], "a heartbeat after an idle interval")
        try channel.writeOutbound(Message.healthReport(HealthReport(volumePercent: 50)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        #expect(try TestSupport.written(channel) == [.healthReport(HealthReport(volumePercent: 50))], "no heartbeat after a write")
        #expect(throws: ProtocolError.self) { try channel.writeOutbound(TestSupport.message("announce")) }
        _ = try channel.finish()
    }

    @Test func fakeControllerGetsAnErrorFrameAndTheClose() throws {
        let channel = try TestSupport.gatewayChannel()
        _ = try TestSupport.writtenBytes(channel)
        try channel.writeInbound(TestSupport.bytes(.challenge(Samples.challenge)))
        _ = try TestSupport.writtenBytes(channel)
        let fake = Message.authenticated(Authenticated(mac: HexBytes([UInt8](repeating: 1, count: 32)), heartbeatSeconds: 120))
        #expect(throws: ProtocolError.controllerProofInvalid) { try channel.writeInbound(TestSupport.bytes(fake)) }
        #expect(TestSupport.lastErrorCode(try TestSupport.written(channel)) == ErrorCode.controllerAuthenticationFailed.rawValue)
        #expect(!channel.isActive)
    }

    /// Bad inputs to a fresh controller session: each ends in its error frame and a close.
    @Test(arguments: [
        ("schedule before authentication", TestSupport.bytes(TestSupport.message("scheduleAck")).readableBytesView.map { $0 }, ErrorCode.unexpectedMessage),
        ("controller-only message", TestSupport.bytes(TestSupport.message("announce")).readableBytesView.map { $0 }, .unexpectedMessage),
        ("unknown type", [0, 0, 0, 1, 0x7E], .unknownMessageType),
        ("invalid JSON", [0, 0, 0, 3, 0x01, 0x7B, 0x22], .invalidPayload),
        ("length over the limit", [0x00, 0x10, 0x00, 0x01, 0x01], .frameTooLarge),
        ("zero length", [0, 0, 0, 0], .malformedFrame),
        ("short nonce", TestSupport.bytes(.hello(Hello(gatewayId: "g", minVersion: 1, maxVersion: 1, nonce: HexBytes([1])))).readableBytesView.map { $0 }, .invalidPayload),
    ] as [(String, [UInt8], ErrorCode)])
    func badInputClosesWithItsErrorCode(name: String, input: [UInt8], code: ErrorCode) throws {
        let channel = try TestSupport.controllerChannel(maxFrameLength: 64 * 1024)
        #expect(throws: ProtocolError.self, "\(name)") { try channel.writeInbound(ByteBuffer(bytes: input)) }
        #expect(TestSupport.lastErrorCode(try TestSupport.written(channel)) == code.rawValue, "\(name)")
        #expect(!channel.isActive, "\(name)")
    }

    @Test func wrongSecretIsRefusedAndThrottled() throws {
        let authenticator = GatewayAuthenticator(secrets: TestSupport.secrets)
        let channel = try TestSupport.controllerChannel(authenticator: authenticator)
        try channel.writeInbound(TestSupport.bytes(.hello(Samples.hello)))
        _ = try TestSupport.written(channel)
        let wrong = Message.authenticate(Authenticate(mac: HexBytes([UInt8](repeating: 0xAB, count: 32))))
        #expect(throws: ProtocolError.wrongSecret(gatewayID: "xa-tan-lap-01", attempt: 1, retryAfterSeconds: 2)) {
            try channel.writeInbound(TestSupport.bytes(wrong))
        }
        #expect(try TestSupport.written(channel) == [.error(ErrorMessage(code: 10, message: "authentication failed", retryAfterSeconds: 2))])
        #expect(!channel.isActive)

        var hello = Samples.hello
        hello.nonce = HexBytes([UInt8](repeating: 5, count: 32))
        let second = try TestSupport.controllerChannel(authenticator: authenticator)
        #expect(throws: ProtocolError.self) { try second.writeInbound(TestSupport.bytes(.hello(hello))) }
        #expect(TestSupport.lastErrorCode(try TestSupport.written(second)) == ErrorCode.throttled.rawValue)
    }

    @Test func replayedHandshakeIsRefused() throws {
        let authenticator = GatewayAuthenticator(secrets: TestSupport.secrets)
        let golden = try ProtocolDocument.goldenVectors()
        let first = try TestSupport.controllerChannel(authenticator: authenticator)
        try first.writeInbound(ByteBuffer(bytes: golden["hello"]! + golden["authenticate"]!))
        #expect(try first.readInbound(as: SessionEvent.self) != nil)
        let replay = try TestSupport.controllerChannel(authenticator: authenticator)
        #expect(throws: ProtocolError.replayedNonce(gatewayID: "xa-tan-lap-01")) {
            try replay.writeInbound(ByteBuffer(bytes: golden["hello"]! + golden["authenticate"]!))
        }
        #expect(TestSupport.lastErrorCode(try TestSupport.written(replay)) == ErrorCode.replayedNonce.rawValue)
        #expect(!replay.isActive)
    }

    @Test func truncatedFrameThenEOFClosesWithoutCrashing() throws {
        let channel = try TestSupport.controllerChannel()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 50, 0x01, 0x7B]))
        // The peer goes away (what a socket reports on EOF, without a local close()).
        channel.pipeline.fireChannelInactive()
        #expect(throws: ProtocolError.truncatedFrame(expected: 54, available: 6)) { try channel.throwIfErrorCaught() }
        #expect(!channel.isActive)
    }

    @Test func handshakeAndIdleTimeoutsClose() throws {
        let slow = try TestSupport.controllerChannel()
        slow.embeddedEventLoop.advanceTime(by: .seconds(15))
        #expect(TestSupport.lastErrorCode(try TestSupport.written(slow)) == ErrorCode.handshakeTimeout.rawValue)
        #expect(!slow.isActive)

        let silent = try TestSupport.controllerChannel(heartbeatSeconds: 10)
        let golden = try ProtocolDocument.goldenVectors()
        var hello = Samples.hello
        hello.nonce = HexBytes(Samples.gatewayNonce)
        try silent.writeInbound(ByteBuffer(bytes: golden["hello"]!))
        let proof = HandshakeProof(hello: hello, challenge: Samples.challenge).gatewayProof(secret: Samples.secret)
        try silent.writeInbound(TestSupport.bytes(.authenticate(Authenticate(mac: HexBytes(proof)))))
        _ = try TestSupport.written(silent)
        silent.embeddedEventLoop.advanceTime(by: .seconds(29))
        try silent.writeInbound(TestSupport.bytes(.heartbeat))
        silent.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(silent.isActive, "a heartbeat resets the idle timer")
        silent.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(TestSupport.lastErrorCode(try TestSupport.written(silent)) == ErrorCode.heartbeatTimeout.rawValue)
        #expect(!silent.isActive)
    }
}
