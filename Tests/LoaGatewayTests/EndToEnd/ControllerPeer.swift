import Foundation
import LoaProtocol
import Logging
import NIOCore
import NIOPosix

/// A controller in miniature, built from LoaProtocol's server side: authenticates one gateway,
/// pushes a schedule, serves content by hash from an offset, stores play events by id (counting
/// resends) and acknowledges them. `accepting = false` closes every new connection at once.
final class ControllerPeer: @unchecked Sendable {
    let gatewayID: String
    let secret: [UInt8]
    private let lock = NSLock()
    private var scheduleValue: (version: UInt64, document: [UInt8])
    private let content: [ContentHash: [UInt8]]
    private var acceptingValue = true
    private var withholdingAcks = false
    private var contentDelayValue: TimeAmount = .zero
    private var channels: [any Channel] = []
    private var received: [LoaProtocol.PlayEvent] = []
    private var stored: [String: LoaProtocol.PlayEvent] = [:]
    private var requests: [ContentRequest] = []
    private var sessions = 0
    private var health: [HealthReport] = []
    private var results: [CommandResult] = []
    private var group: MultiThreadedEventLoopGroup?
    private var server: (any Channel)?

    init(gatewayID: String, secret: [UInt8], schedule: (UInt64, [UInt8]), content: [ContentHash: [UInt8]]) {
        self.gatewayID = gatewayID
        self.secret = secret
        self.scheduleValue = schedule
        self.content = content
    }

    /// The schedule pushed to each session that becomes ready.
    var schedule: (version: UInt64, document: [UInt8]) {
        get { lock.withLock { scheduleValue } }
        set { lock.withLock { scheduleValue = newValue } }
    }

    var accepting: Bool {
        get { lock.withLock { acceptingValue } }
        set { lock.withLock { acceptingValue = newValue } }
    }
    /// While true, play events are stored but not acknowledged (as if the ack were lost).
    var withholdAcks: Bool {
        get { lock.withLock { withholdingAcks } }
        set { lock.withLock { withholdingAcks = newValue } }
    }
    /// How long each content request waits before its chunks go out (a slow link).
    var contentDelay: TimeAmount {
        get { lock.withLock { contentDelayValue } }
        set { lock.withLock { contentDelayValue = newValue } }
    }
    /// Every event received, resends included.
    var receivedEvents: [LoaProtocol.PlayEvent] { lock.withLock { received } }
    /// Events stored once per id, as a controller keeps them.
    var storedEvents: [LoaProtocol.PlayEvent] { lock.withLock { Array(stored.values).sorted { $0.at < $1.at } } }
    var contentRequests: [ContentRequest] { lock.withLock { requests } }
    var readySessions: Int { lock.withLock { sessions } }
    var healthReports: [HealthReport] { lock.withLock { health } }
    var commandResults: [CommandResult] { lock.withLock { results } }

    /// Sends `message` on every open session.
    func send(_ message: Message) {
        for channel in lock.withLock({ channels }) { channel.writeAndFlush(message, promise: nil) }
    }

    /// Listens on 127.0.0.1 and returns the port.
    func start(tls: LoaTLSConfiguration? = nil) async throws -> Int {
        let tlsContext = try tls?.makeServerContext()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let authenticator = GatewayAuthenticator(secrets: StaticGatewaySecrets([gatewayID: secret]))
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    if let tlsContext { try ops.addLoaTLSServer(context: tlsContext) }
                    try ops.addLoaControllerHandlers(authenticator: authenticator, logger: .quiet)
                    try ops.addHandler(App(peer: self))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.server = server
        return server.localAddress!.port!
    }

    /// Closes every open session (the gateway will try to reconnect).
    func closeSessions() {
        let open = lock.withLock { defer { channels = [] }; return channels }
        for channel in open { channel.close(promise: nil) }
    }

    func stop() async {
        closeSessions()
        try? await server?.close()
        try? await group?.shutdownGracefully()
    }

    private func admitted(_ channel: any Channel) -> Bool {
        lock.withLock {
            guard acceptingValue else { return false }
            channels.append(channel)
            return true
        }
    }

    private final class App: ChannelInboundHandler {
        typealias InboundIn = SessionEvent
        typealias OutboundOut = Message
        let peer: ControllerPeer
        init(peer: ControllerPeer) { self.peer = peer }

        func channelActive(context: ChannelHandlerContext) {
            if !peer.admitted(context.channel) { context.close(promise: nil) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .ready:
                let schedule = peer.lock.withLock { peer.sessions += 1; return peer.scheduleValue }
                let update = LoaProtocol.ScheduleUpdate(version: schedule.version, document: schedule.document)
                context.writeAndFlush(wrapOutboundOut(.scheduleUpdate(update)), promise: nil)
            case .message(.contentRequest(let request)):
                peer.lock.withLock { peer.requests.append(request) }
                guard let bytes = peer.content[request.sha256] else {
                    let error = ErrorMessage(code: ErrorCode.contentNotFound.rawValue, message: "no such content")
                    context.writeAndFlush(wrapOutboundOut(.error(error)), promise: nil)
                    return
                }
                let channel = context.channel
                let serve: @Sendable () -> Void = {
                    var offset = Int(request.offset)
                    while offset < bytes.count {
                        let end = min(offset + 8 * 1024, bytes.count)
                        let chunk = ContentChunk(sha256: request.sha256, offset: UInt64(offset), bytes: Array(bytes[offset..<end]))
                        channel.write(Message.contentChunk(chunk), promise: nil)
                        offset = end
                    }
                    channel.writeAndFlush(Message.contentEnd(ContentEnd(sha256: request.sha256, size: UInt64(bytes.count))), promise: nil)
                }
                let delay = peer.contentDelay
                if delay > .zero { context.eventLoop.scheduleTask(in: delay, serve) } else { serve() }
            case .message(.playEvents(let batch)):
                let withhold = peer.lock.withLock {
                    peer.received += batch.events
                    for event in batch.events where peer.stored[event.id] == nil { peer.stored[event.id] = event }
                    return peer.withholdingAcks
                }
                if withhold { return }
                context.writeAndFlush(wrapOutboundOut(.playEventsAck(PlayEventAck(ids: batch.events.map(\.id)))), promise: nil)
            case .message(.commandResult(let result)):
                peer.lock.withLock { peer.results.append(result) }
            case .message(.healthReport(let report)):
                peer.lock.withLock { peer.health.append(report) }
            case .message, .clockSample:
                break
            }
        }
    }
}
