import Logging
import NIOCore

/// Closing with an error, the same way on both ends: log it, write the error frame (when the
/// peer should hear it), tell the handlers above, then close once the frame is flushed.
enum SessionCloser {
    static func close(context: ChannelHandlerContext, error: ProtocolError, notifyPeer: Bool, logger: Logger,
                      frame wrap: (Frame) -> NIOAny) {
        logger.notice("closing session", metadata: ["loa.error.code": "\(error.code.rawValue)", "error": "\(error)"])
        context.fireErrorCaught(error)
        guard notifyPeer, context.channel.isActive else {
            context.close(promise: nil)
            return
        }
        let frame = MessageCodec.encode(.error(ErrorMessage(error)))
        let channel = context.channel
        context.writeAndFlush(wrap(frame)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
