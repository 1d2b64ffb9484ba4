import Foundation
import LoaAudio
import LoaUpstream
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The Icecast-compatible port (`live.icecast_listen`): studio encoders that speak Icecast's
/// source protocol push a live stream with `SOURCE` or `PUT /live/{id}` and the stream's source
/// key as the Basic password (`icecast://source:KEY@host:port/live/7`); listeners `GET
/// /live/{id}?key=LISTENKEY` and get the stream as the gateways get it, in an HTTP/1.0 answer
/// that ends when the stream does (players such as mpg123 speak only that). A source's body is
/// decoded with FFmpeg (MP3, AAC, Ogg …: `UpstreamAudioReader` over `PushedBytes`) and fed
/// through the same pump as every live source.
public final class IcecastPort: Sendable {
    let hub: LiveHub
    let logger: Logger
    private let group: any EventLoopGroup
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    public init(hub: LiveHub, group: any EventLoopGroup, logger: Logger) {
        self.hub = hub
        self.group = group
        var logger = logger
        logger[metadataKey: "component"] = "icecast"
        self.logger = logger
    }

    /// Binds and accepts; returns the bound port (for port 0).
    public func start(host: String, port: Int) async throws -> Int {
        let bound = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IcecastConnectionHandler(port: self))
                }
            }
            .bind(host: host, port: port).get()
        channel.withLockedValue { $0 = bound }
        let actual = bound.localAddress?.port ?? port
        logger.notice("icecast-compatible port listening", metadata: ["address": "\(host):\(actual)"])
        return actual
    }

    /// Stops accepting; sources and listeners end with their streams (`LiveHub.stopAll`).
    public func stop() async {
        let bound = channel.withLockedValue { value in defer { value = nil }; return value }
        try? await bound?.close()
    }

    // MARK: - Admission (off the event loop)

    /// What the connection handler does after the head was judged.
    enum Admission: Sendable {
        case refuse(IcecastRequest.Refusal)
        case source(stream: LiveStream, container: String?)
        case listener(stream: LiveStream, audio: AsyncStream<ByteBuffer>)
    }

    func admit(_ request: IcecastRequest, address: String?) async -> Admission {
        let stream: LiveStream
        do {
            stream = try await hub.store.liveStream(request.streamID)
        } catch {
            return .refuse(.init(status: 404, reason: "live stream \(request.streamID) does not exist; create one with POST /api/v1/live"))
        }
        guard stream.state != .ended else {
            return .refuse(.init(status: 410, reason: "live stream \(stream.id) has ended (\(stream.endReason ?? "no reason")); create a new one"))
        }
        switch request.method {
        case .get:
            guard let key = request.listenKey, let listenKey = stream.listenKey, APIHandlers.constantTimeEqual(key, listenKey) else {
                return .refuse(.init(status: 401, reason: "a listener needs the stream's listen key: /live/\(stream.id)?key=…"))
            }
            do {
                return .listener(stream: stream, audio: try await hub.listen(stream.id))
            } catch {
                return .refuse(.init(status: 503, reason: error.description))
            }
        case .source, .put:
            guard stream.relayURL == nil else {
                return .refuse(.init(status: 409, reason: "live stream \(stream.id) is a relay of \(stream.relayURL ?? ""); it takes no source"))
            }
            guard let password = request.password else {
                return .refuse(.init(status: 401, reason: "send the stream's source key as the password (icecast://source:KEY@host:port/live/\(stream.id))"))
            }
            guard APIHandlers.constantTimeEqual(LoginToken(value: password).sha256, stream.sourceKeySHA256) else {
                try? await hub.store.appendAudit(action: "live.source.refused", target: "\(stream.id)", details: ["reason": "wrong key", "via": "icecast"],
                                                 origin: AuditOrigin(actor: "live-source", address: address))
                return .refuse(.init(status: 401, reason: "wrong source key for live stream \(stream.id)"))
            }
            let container: String?
            do { container = try IcecastRequest.container(forContentType: request.contentType) } catch { return .refuse(error) }
            return .source(stream: stream, container: container)
        }
    }

    // MARK: - A source

    /// Decodes a source's pushed bytes and feeds the stream until the source hangs up, fails or
    /// the stream is stopped; the stream ends with the source (or waits for another try when
    /// nothing decodable came). `close` closes the connection.
    func runSource(_ stream: LiveStream, bytes: PushedBytes, container: String?, close: @escaping @Sendable () -> Void) async {
        let format = AudioFormat(sampleRate: hub.settings.encoder.sampleRate, channels: hub.settings.encoder.channels)
        let reader = UpstreamAudioReader(pushed: bytes, name: "icecast source /live/\(stream.id)", formatHint: container,
                                         settings: .init(format: format, stallTimeout: hub.settings.relayStallTimeout))
        let logger = self.logger
        await ThreadedSource(streamID: stream.id, hub: hub, logger: logger,
                             open: {
                                 try reader.open()
                                 logger.notice("icecast source decoding", metadata: ["live.id": "\(stream.id)", "source": "\(reader.source)"])
                             },
                             read: { (try reader.read(), reader.bytesRead) },
                             cancel: { reader.cancel() }, failureWord: "source failed").run()
        close()
    }

    /// The HTTP/1.0 head of an answer.
    static func head(_ statusLine: String, _ headers: [(String, String)] = []) -> ByteBuffer {
        var text = "HTTP/1.0 \(statusLine)\r\nServer: loa-controller\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return ByteBuffer(string: text + "\r\n")
    }
}

/// One connection of the Icecast-compatible port: collects the head, has the port admit it (off
/// the event loop), then either feeds a source's bytes to its `PushedBytes` (reading paused
/// above the high-water mark, so TCP slows the encoder) or writes a listener's stream.
final class IcecastConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case head([UInt8])
        case admitting(pending: [UInt8])
        case source(PushedBytes)
        case other
    }

    private let port: IcecastPort
    private var state = State.head([])

    init(port: IcecastPort) {
        self.port = port
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch state {
        case .head(var bytes):
            bytes.append(contentsOf: buffer.readableBytesView)
            guard let end = IcecastRequest.headEnd(bytes) else {
                if bytes.count > IcecastRequest.maxHeadBytes {
                    refuse(.init(status: 431, reason: "the request head is over \(IcecastRequest.maxHeadBytes) bytes"), context: context)
                } else {
                    state = .head(bytes)
                }
                return
            }
            let request: IcecastRequest
            do { request = try IcecastRequest.parse(Array(bytes[..<end])) } catch {
                refuse(error, context: context)
                return
            }
            state = .admitting(pending: Array(bytes[end...]))
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
            admit(request, context: context)
        case .admitting(var pending):
            // Reads already under way when autoRead went off.
            pending.append(contentsOf: buffer.readableBytesView)
            state = .admitting(pending: pending)
        case .source(let bytes):
            if bytes.append(buffer.readableBytesView) == .pause {
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
            }
        case .other:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .source(let bytes) = state { bytes.finish() }
        state = .other
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The source hung up its sending side: the rest of its audio is in.
        if let event = event as? ChannelEvent, event == .inputClosed, case .source(let bytes) = state { bytes.finish() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func refuse(_ refusal: IcecastRequest.Refusal, context: ChannelHandlerContext) {
        state = .other
        port.logger.notice("icecast request refused", metadata: [
            "status": "\(refusal.status)", "reason": "\(refusal.reason)", "peer.address": "\(context.remoteAddress?.ipAddress ?? "")",
        ])
        var headers = [("Content-Type", "text/plain; charset=utf-8")]
        if refusal.status == 401 { headers.append(("WWW-Authenticate", "Basic realm=\"loa\"")) }
        var answer = IcecastPort.head(refusal.statusLine, headers)
        answer.writeString(refusal.reason + "\n")
        context.writeAndFlush(wrapOutboundOut(answer)).whenComplete { _ in context.close(promise: nil) }
    }

    private func admit(_ request: IcecastRequest, context: ChannelHandlerContext) {
        let port = self.port
        let channel = context.channel
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let address = channel.remoteAddress?.ipAddress
        Task { [request, port, address, channel, handler, bound] in
            await IcecastConnectionHandler.proceed(request, port: port, address: address, channel: channel, handler: handler, context: bound)
        }
    }

    private static func proceed(_ request: IcecastRequest, port: IcecastPort, address: String?, channel: any Channel,
                                handler: NIOLoopBound<IcecastConnectionHandler>, context: NIOLoopBound<ChannelHandlerContext>) async {
        let admission = await port.admit(request, address: address)
        switch admission {
        case .refuse(let refusal):
            channel.eventLoop.execute { handler.value.refuse(refusal, context: context.value) }
        case .listener(let stream, let audio):
            port.logger.info("icecast listener connected", metadata: ["live.id": "\(stream.id)", "peer.address": "\(address ?? "")"])
            channel.eventLoop.execute { handler.value.state = .other }
            await serveListener(stream, audio: audio, channel: channel)
        case .source(let stream, let container):
            await serveSource(request, stream: stream, container: container, port: port, channel: channel, handler: handler, context: context)
        }
    }

    private static func serveListener(_ stream: LiveStream, audio: AsyncStream<ByteBuffer>, channel: any Channel) async {
        do {
            try await channel.writeAndFlush(IcecastPort.head("200 OK", [
                ("Content-Type", "audio/mpeg"), ("Cache-Control", "no-cache, no-store"), ("icy-name", APIHandlers.headerSafe(stream.title)),
            ]))
            for await buffer in audio { try await channel.writeAndFlush(buffer) }
        } catch {
            // The listener went away.
        }
        try? await channel.close()
    }

    private static func serveSource(_ request: IcecastRequest, stream: LiveStream, container: String?, port: IcecastPort,
                                    channel: any Channel, handler: NIOLoopBound<IcecastConnectionHandler>,
                                    context: NIOLoopBound<ChannelHandlerContext>) async {
        do {
            _ = try await port.hub.attachSource(stream.id, closeSource: { channel.close(promise: nil) })
        } catch {
            let status = { () -> Int in
                switch error {
                case .sourceConnected: return 409
                case .ended: return 410
                default: return 503
                }
            }()
            channel.eventLoop.execute { handler.value.refuse(.init(status: status, reason: error.description), context: context.value) }
            return
        }
        port.logger.notice("icecast source connected", metadata: [
            "live.id": "\(stream.id)", "method": "\(request.method.rawValue)", "content.type": "\(request.contentType ?? "")",
            "peer.address": "\(channel.remoteAddress?.ipAddress ?? "")", "ice": "\(request.metadata)",
        ])
        let bytes = PushedBytes(resume: { channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } })
        let answer = request.expectsContinue ? ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\n") : IcecastPort.head("200 OK")
        channel.eventLoop.execute {
            if case .admitting(let pending) = handler.value.state, !pending.isEmpty { bytes.append(pending) }
            handler.value.state = .source(bytes)
            context.value.writeAndFlush(NIOAny(answer), promise: nil)
            channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        await port.runSource(stream, bytes: bytes, container: container, close: { channel.close(promise: nil) })
    }
}
