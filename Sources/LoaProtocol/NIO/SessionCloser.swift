import Logging
import NIOCore

/// Closing with an error, the same way on both ends: log it, write the error frame (when the
/// peer should hear it), tell the handlers above, then close once the frame is flushed.
///
/// The close lingers: first only the output (a FIN after the error frame), then the whole
/// connection `lingerTime` later or at the peer's EOF. Closing at once while the peer's bytes
/// sit unread (the rest of an oversized frame) makes the kernel send a reset, and the peer's
/// kernel may then discard the error frame before the peer has read why it was refused.
enum SessionCloser {
    static let lingerTime: TimeAmount = .seconds(2)

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
            channel.close(mode: .output).whenComplete { result in
                guard case .success = result else {
                    channel.close(promise: nil)
                    return
                }
                channel.eventLoop.scheduleTask(in: lingerTime) { channel.close(promise: nil) }
            }
        }
    }
}
