import LoaProtocol
import NIOCore

/// Sits between the frame decoder and `ControllerSessionHandler`. When a connection's hello
/// names a gateway whose secret is not freshly cached, it holds the frame while the secret is
/// read from the store (off the event loop), then passes it on, so the synchronous handshake
/// finds the secret in memory. Frames before the hello pass straight on (the session closes on
/// them); after the hello it only passes frames through.
final class SecretPrefetchHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias InboundOut = Frame

    private let cache: GatewaySecretCache
    private let clock: WallClock
    private var passThrough = false
    private var held: [Frame] = []
    private var waiting = false

    init(cache: GatewaySecretCache, clock: WallClock = .system) {
        self.cache = cache
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if waiting {
            held.append(frame)
            return
        }
        guard !passThrough else {
            context.fireChannelRead(data)
            return
        }
        guard frame.type == FrameType.hello.rawValue, case .hello(let hello)? = try? MessageCodec.decode(frame) else {
            context.fireChannelRead(data)
            return
        }
        passThrough = true
        let nowMs = clock.nowMs()
        guard !cache.isFresh(hello.gatewayId, nowMs: nowMs) else {
            context.fireChannelRead(data)
            return
        }
        waiting = true
        held = [frame]
        let cache = self.cache
        let id = hello.gatewayId
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { await cache.refresh(id, nowMs: nowMs) }
        promise.futureResult.assumeIsolated().whenComplete { _ in
            self.waiting = false
            let frames = self.held
            self.held = []
            for frame in frames { context.fireChannelRead(self.wrapInboundOut(frame)) }
        }
    }
}
