import LoaProtocol
import NIOCore

/// The bottom of a simulated gateway's pipeline: counts the bytes each way (TCP payload, no
/// headers) for the report's bytes per gateway per day.
final class ByteTap: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let tally: FleetTally

    init(tally: FleetTally) { self.tally = tally }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        tally.update { $0.bytesIn += count }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let count = unwrapOutboundIn(data).readableBytes
        tally.update { $0.bytesOut += count }
        context.write(data, promise: promise)
    }
}

/// Between the frame decoder and the session handler: notes the code of every error frame the
/// controller sends (the session handler only closes), so the report can say why sessions ended.
final class ErrorFramePeek: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame

    private let tally: FleetTally

    init(tally: FleetTally) { self.tally = tally }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.type == FrameType.error.rawValue, case .error(let error)? = try? MessageCodec.decode(frame) {
            tally.update { $0.errorCodes[error.code, default: 0] += 1 }
        }
        context.fireChannelRead(data)
    }
}
