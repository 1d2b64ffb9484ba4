import NIOCore
import NIOEmbedded
import Testing
@testable import LoaProtocol

/// The controller handler on NIOAsyncTestingChannel, the test playing both the gateway (bytes
/// in) and the controller daemon (messages out), as postgres-nio's connection tests do.
@Suite struct AsyncChannelTests {
    func makeController() async throws -> NIOAsyncTestingChannel {
        let handler = ControllerSessionHandler(
            authenticator: GatewayAuthenticator(secrets: TestSupport.secrets), clock: TestSupport.fixedClock,
            logger: TestSupport.quietLogger, makeNonce: { Samples.controllerNonce })
        let channel = NIOAsyncTestingChannel()
        try await channel.pipeline.addHandlers([
            ByteToMessageHandler(FrameDecoder()), MessageToByteHandler(FrameEncoder()), handler,
        ])
        try await channel.connect(to: SocketAddress(ipAddress: "10.9.8.7", port: 50000))
        return channel
    }

    func outbound(_ channel: NIOAsyncTestingChannel) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try await channel.readOutbound(as: ByteBuffer.self) { bytes += Array(buffer.readableBytesView) }
        return bytes
    }

    @Test func schedulePushAndAckAfterTheHandshake() async throws {
        let channel = try await makeController()
        let golden = try ProtocolDocument.goldenVectors()

        await #expect(throws: ProtocolError.unexpectedMessage(type: "scheduleUpdate", state: "authenticating")) {
            try await channel.writeOutbound(TestSupport.message("scheduleUpdate"))
        }
        try await channel.writeInbound(ByteBuffer(bytes: golden["hello"]!))
        #expect(try await outbound(channel) == golden["challenge"]!)
        try await channel.writeInbound(ByteBuffer(bytes: golden["authenticate"]!))
        #expect(try await outbound(channel) == golden["authenticated"]!)
        #expect(try await channel.readInbound(as: SessionEvent.self) == .ready(gatewayID: "xa-tan-lap-01", version: 1, heartbeatSeconds: 120))

        try await channel.writeOutbound(TestSupport.message("scheduleUpdate"))
        #expect(try await outbound(channel) == golden["scheduleUpdate"]!)
        try await channel.writeInbound(ByteBuffer(bytes: golden["scheduleAck"]!))
        #expect(try await channel.readInbound(as: SessionEvent.self) == .message(.scheduleAck(ScheduleAck(version: 7))))

        try await channel.writeInbound(ByteBuffer(bytes: golden["heartbeat"]!))
        #expect(try await channel.readInbound(as: SessionEvent.self) == nil, "heartbeats are not delivered up")
        await #expect(throws: ProtocolError.self) { try await channel.writeOutbound(TestSupport.message("healthReport")) }
        try await channel.close()
    }

    @Test func oversizedOutboundMessageIsRefusedLocallyAndTheSessionStays() async throws {
        let handler = ControllerSessionHandler(
            configuration: .init(maxFrameLength: 64 * 1024), authenticator: GatewayAuthenticator(secrets: TestSupport.secrets),
            clock: TestSupport.fixedClock, logger: TestSupport.quietLogger, makeNonce: { Samples.controllerNonce })
        let channel = NIOAsyncTestingChannel()
        try await channel.pipeline.addHandlers([ByteToMessageHandler(FrameDecoder()), MessageToByteHandler(FrameEncoder()), handler])
        try await channel.connect(to: SocketAddress(ipAddress: "10.9.8.7", port: 50000))
        let golden = try ProtocolDocument.goldenVectors()
        try await channel.writeInbound(ByteBuffer(bytes: golden["hello"]! + golden["authenticate"]!))
        _ = try await outbound(channel)
        let huge = Message.scheduleUpdate(ScheduleUpdate(version: 1, document: [UInt8](repeating: 0x20, count: 100_000)))
        await #expect(throws: ProtocolError.frameTooLarge(length: 100_009, limit: 65_536)) { try await channel.writeOutbound(huge) }
        #expect(try await outbound(channel).isEmpty)
        #expect(channel.isActive)
        try await channel.close()
    }

    @Test func nonFatalErrorFromTheGatewayIsDeliveredAndTheSessionStays() async throws {
        let channel = try await makeController()
        let golden = try ProtocolDocument.goldenVectors()
        try await channel.writeInbound(ByteBuffer(bytes: golden["hello"]! + golden["authenticate"]!))
        _ = try await channel.readInbound(as: SessionEvent.self)
        let refused = ErrorMessage(code: ErrorCode.commandRefused.rawValue, message: "amplifier in manual mode")
        try await channel.writeInbound(TestSupport.bytes(.error(refused)))
        #expect(try await channel.readInbound(as: SessionEvent.self) == .message(.error(refused)))
        #expect(channel.isActive)
        try await channel.close()
    }
}
