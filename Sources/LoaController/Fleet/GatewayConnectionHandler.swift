import LoaProtocol
import NIOCore

/// The last handler of a gateway connection: forwards session events and the closing error
/// into the connection's event stream, which `GatewayFleet` works through off the event loop.
final class GatewayConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = SessionEvent

    private let events: AsyncStream<ConnectionEvent>.Continuation

    init(events: AsyncStream<ConnectionEvent>.Continuation) {
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        events.yield(.session(unwrapInboundIn(data)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The session handler already closes the channel; the fleet logs and audits the reason.
        if let error = error as? ProtocolError { events.yield(.failed(error)) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        events.finish()
        context.fireChannelInactive()
    }
}
