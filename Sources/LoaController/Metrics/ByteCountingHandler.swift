import NIOCore

/// First in a gateway connection's pipeline: counts the bytes crossing the socket (TLS records
/// included) into `ControllerMetrics`, passing everything through unchanged.
final class ByteCountingHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let metrics: ControllerMetrics

    init(metrics: ControllerMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        metrics.bytesReceived(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        metrics.bytesSent(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }
}
