import LoaProtocol
import NIOCore

/// The last handler of a gateway connection: forwards session events and the closing error
/// into the connection's inbox, which `GatewayFleet` works through off the event loop.
final class GatewayConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = SessionEvent

    private let inbox: ConnectionInbox

    init(inbox: ConnectionInbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inbox.yield(.session(unwrapInboundIn(data)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The session handler already closes the channel; the fleet logs and audits the reason.
        if let error = error as? ProtocolError { inbox.yield(.failed(error)) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.finish()
        context.fireChannelInactive()
    }
}
