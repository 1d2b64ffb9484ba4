import LoaProtocol
import NIOCore

/// The daemon's handler above `GatewaySessionHandler`: hands every `SessionEvent` to the link,
/// isolated and in order — the link's executor is this channel's event loop — and reports the
/// channel's end.
final class LinkHandler: ChannelInboundHandler {
    typealias InboundIn = SessionEvent

    private let link: GatewayLink

    init(link: GatewayLink) {
        self.link = link
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let event = unwrapInboundIn(data)
        let channel = context.channel
        link.assumeIsolated { $0.handle(event, on: channel) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        link.assumeIsolated { $0.closed() }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
