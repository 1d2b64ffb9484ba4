import Logging
import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// Adds the gateway end of the protocol: frame decoder (with the size limit), frame
    /// encoder, and `GatewaySessionHandler` (whose outbound limit is set to `maxFrameLength`). Add the daemon's handler after these; it reads
    /// `SessionEvent`s and writes `Message`s. Call from the bootstrap's channel initializer
    /// (after `addLoaTLSClient` when TLS is configured).
    public func addLoaGatewayHandlers(configuration: GatewaySessionHandler.Configuration,
                                      maxFrameLength: UInt32 = Frame.defaultMaxLength,
                                      clock: WallClock = .system, logger: Logger) throws {
        try addHandler(ByteToMessageHandler(FrameDecoder(maxFrameLength: maxFrameLength)))
        try addHandler(MessageToByteHandler(FrameEncoder()))
        var configuration = configuration
        configuration.maxFrameLength = maxFrameLength
        try addHandler(GatewaySessionHandler(configuration: configuration, clock: clock, logger: logger))
    }

    /// Adds the controller end: frame decoder, encoder, and `ControllerSessionHandler`
    /// sharing `authenticator` with every other connection. Add the daemon's handler after.
    public func addLoaControllerHandlers(configuration: ControllerSessionHandler.Configuration = .init(),
                                         authenticator: GatewayAuthenticator,
                                         maxFrameLength: UInt32 = Frame.defaultMaxLength,
                                         clock: WallClock = .system, logger: Logger) throws {
        try addHandler(ByteToMessageHandler(FrameDecoder(maxFrameLength: maxFrameLength)))
        try addHandler(MessageToByteHandler(FrameEncoder()))
        var configuration = configuration
        configuration.maxFrameLength = maxFrameLength
        try addHandler(ControllerSessionHandler(configuration: configuration, authenticator: authenticator,
                                                clock: clock, logger: logger))
    }
}
