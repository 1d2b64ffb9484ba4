import LoaProtocol
import NIOCore

/// The daemon's handler above `GatewaySessionHandler`: hands every `SessionEvent` to the link's
/// work queue (disk I/O never runs on the event loop) and reports the channel's end.
final class LinkHandler: ChannelInboundHandler {
    typealias InboundIn = SessionEvent

    private let onEvent: @Sendable (SessionEvent, any Channel) -> Void
    private let onClose: @Sendable () -> Void

    init(onEvent: @escaping @Sendable (SessionEvent, any Channel) -> Void, onClose: @escaping @Sendable () -> Void) {
        self.onEvent = onEvent
        self.onClose = onClose
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onEvent(unwrapInboundIn(data), context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        onClose()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
