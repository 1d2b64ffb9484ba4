import Logging
import NIOCore
import NIOEmbedded
@testable import LoaProtocol

/// Pipelines on EmbeddedChannel with the test playing the other end, in bytes.
enum TestSupport {
    static let quietLogger = Logger(label: "loa.test") { _ in SwiftLogNoOpLogHandler() }
    static let fixedClock = WallClock { 1_767_225_600_000_000_000 }
    static let secrets = StaticGatewaySecrets(["xa-tan-lap-01": Samples.secret])

    static func controllerChannel(authenticator: GatewayAuthenticator = GatewayAuthenticator(secrets: secrets),
                                  heartbeatSeconds: UInt32 = 120,
                                  maxFrameLength: UInt32 = Frame.defaultMaxLength) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let configuration = ControllerSessionHandler.Configuration(session: .init(heartbeatSeconds: heartbeatSeconds))
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(FrameDecoder(maxFrameLength: maxFrameLength)),
            MessageToByteHandler(FrameEncoder()),
            ControllerSessionHandler(configuration: configuration, authenticator: authenticator, clock: fixedClock,
                                     logger: quietLogger, makeNonce: { Samples.controllerNonce }),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "10.1.2.3", port: 40000)).wait()
        return channel
    }

    static func gatewayChannel(clockSync: TimeAmount? = nil) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let configuration = GatewaySessionHandler.Configuration(
            session: .init(gatewayID: "xa-tan-lap-01", secret: Samples.secret), clockSyncInterval: clockSync)
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(FrameDecoder()),
            MessageToByteHandler(FrameEncoder()),
            GatewaySessionHandler(configuration: configuration, clock: fixedClock, logger: quietLogger,
                                  makeNonce: { Samples.gatewayNonce }),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "10.1.2.4", port: 7420)).wait()
        return channel
    }

    static func message(_ name: String) -> Message { Samples.all.first { $0.name == name }!.message }

    static func bytes(_ message: Message) -> ByteBuffer { ByteBuffer(bytes: MessageCodec.encode(message).serialized()) }

    /// Every frame the handlers wrote so far, decoded.
    static func written(_ channel: EmbeddedChannel) throws -> [Message] {
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += Array(buffer.readableBytesView) }
        return try FrameParser().parseAll(bytes).frames.map { try MessageCodec.decode($0) }
    }

    /// Every outbound byte so far.
    static func writtenBytes(_ channel: EmbeddedChannel) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += Array(buffer.readableBytesView) }
        return bytes
    }

    /// The error code of the last frame written, if it was an error frame.
    static func lastErrorCode(_ messages: [Message]) -> UInt16? {
        if case .error(let e)? = messages.last { return e.code }
        return nil
    }
}
