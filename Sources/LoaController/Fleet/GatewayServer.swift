import LoaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Listens for gateways (SwiftNIO), runs LoaProtocol's controller end on every connection, and
/// hands each connection to a worker (`GatewayFleet.serve`) in one task group that `stop()`
/// awaits: no connection's work outlives the server.
public final class GatewayServer: Sendable {
    /// Where to listen and the session timers.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var heartbeatSeconds: UInt32
        /// Silence after which a ready session is closed and the gateway shown offline.
        public var offlineAfterSeconds: Int64
        public var tls: LoaTLSConfiguration?
        public var handshakeTimeout: TimeAmount

        public init(host: String, port: Int, heartbeatSeconds: UInt32 = 120, offlineAfterSeconds: Int64 = 360,
                    tls: LoaTLSConfiguration? = nil, handshakeTimeout: TimeAmount = .seconds(15)) {
            self.host = host
            self.port = port
            self.heartbeatSeconds = heartbeatSeconds
            self.offlineAfterSeconds = offlineAfterSeconds
            self.tls = tls
            self.handshakeTimeout = handshakeTimeout
        }

        public init(_ configuration: ControllerConfiguration) {
            let g = configuration.gateways
            var tls: LoaTLSConfiguration?
            if let certificate = g.tlsCertificate, let key = g.tlsPrivateKey {
                tls = LoaTLSConfiguration(certificatePath: certificate, privateKeyPath: key)
            }
            self.init(host: g.listenHost, port: g.listenPort, heartbeatSeconds: UInt32(g.heartbeatSeconds),
                      offlineAfterSeconds: Int64(g.offlineLimitSeconds), tls: tls)
        }
    }

    /// The outbound backlog over which a gateway misses live audio payloads.
    public static let liveBacklogBytes = 64 * 1024

    public let configuration: Configuration
    public let fleet: GatewayFleet
    public let secrets: GatewaySecretCache
    public let authenticator: GatewayAuthenticator
    private let group: any EventLoopGroup
    private let logger: Logger
    private let serverChannel = NIOLockedValueBox<(any Channel)?>(nil)
    /// Connections set up on their event loops, on their way to a worker.
    private let accepted = AsyncStream.makeStream(of: AcceptedConnection.self)
    /// The task group of connection workers, ended and awaited by `stop()`.
    private let workers = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// A connection whose pipeline is set up, with the inbox its handler feeds.
    struct AcceptedConnection: Sendable {
        let channel: any Channel
        let peer: String
        let inbox: ConnectionInbox
    }

    public init(configuration: Configuration, fleet: GatewayFleet, secrets: GatewaySecretCache,
                group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.fleet = fleet
        self.secrets = secrets
        self.authenticator = GatewayAuthenticator(secrets: secrets)
        self.group = group
        self.logger = logger
    }

    /// Binds and starts accepting; returns the bound port (useful when configured with 0).
    @discardableResult
    public func start() async throws -> Int {
        let tlsContext = try configuration.tls?.makeServerContext()
        let session = ControllerSessionHandler.Configuration(
            session: .init(heartbeatSeconds: configuration.heartbeatSeconds),
            handshakeTimeout: configuration.handshakeTimeout, idleTimeout: .seconds(configuration.offlineAfterSeconds))
        let (authenticator, secrets, fleet, logger) = (self.authenticator, self.secrets, self.fleet, self.logger)
        let (connections, acceptor) = accepted
        workers.withLockedValue { task in
            task = task ?? Task {
                await withDiscardingTaskGroup { group in
                    for await connection in connections {
                        group.addTask {
                            await fleet.serve(channel: connection.channel, peer: connection.peer,
                                              inbox: connection.inbox)
                        }
                    }
                }
            }
        }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // After a restart the whole fleet reconnects within a second or two: NIO's default
            // backlog (256) dropped the SYNs of the rest, each then waiting out TCP's 1, 3, 7 s
            // retransmissions (issue 14). Linux caps it at net.core.somaxconn (4096 since 5.4).
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            // EOF first closes only the input, so a peer that ends inside a frame still gets
            // the `malformedFrame` error frame (docs/PROTOCOL.md §1) before the close.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // A connection with more than 64 KiB unsent turns unwritable: live audio for it is
            // then dropped rather than queued (`GatewayConnection.sendLive`), so a slow 4G gateway
            // never holds up the others or fills the controller's memory.
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: Self.liveBacklogBytes))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try ops.addHandler(ByteCountingHandler(metrics: fleet.metrics))
                    if let tlsContext { try ops.addLoaTLSServer(context: tlsContext) }
                    try ops.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try ops.addHandler(MessageToByteHandler(FrameEncoder()))
                    try ops.addHandler(SecretPrefetchHandler(cache: secrets))
                    try ops.addHandler(ControllerSessionHandler(configuration: session, authenticator: authenticator, logger: logger))
                    let inbox = ConnectionInbox(channel: channel)
                    try ops.addHandler(GatewayConnectionHandler(inbox: inbox))
                    let peer = channel.remoteAddress?.ipAddress ?? "unknown"
                    acceptor.yield(AcceptedConnection(channel: channel, peer: peer, inbox: inbox))
                }
            }
            .bind(host: configuration.host, port: configuration.port).get()
        serverChannel.withLockedValue { $0 = channel }
        let port = channel.localAddress?.port ?? configuration.port
        logger.info("listening for gateways", metadata: [
            "listen.host": "\(configuration.host)", "listen.port": "\(port)", "tls": "\(tlsContext != nil)",
        ])
        return port
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", duration.inSeconds)
    }

    /// How long `stop` waits for the `shuttingDown` frames to flush before closing regardless.
    public static let drainDeadline: Duration = .seconds(5)

    /// Stops accepting, tells every connected gateway the controller is shutting down (so it
    /// reconnects later rather than at once), and closes the connections — all at once, each on
    /// its own event loop, and within `deadline` however many there are: with 10 000 gateways a
    /// connection-by-connection drain outlasted systemd's `TimeoutStopSec`. Connections whose
    /// frame has not flushed by then (a stalled 4G link) are closed without it. Their gateways'
    /// last-seen times are written in one transaction first. Then the connection workers are
    /// awaited (each ends when its connection's events end), within `deadline` again.
    public func stop(deadline: Duration = GatewayServer.drainDeadline) async {
        let channel = serverChannel.withLockedValue { value in
            defer { value = nil }
            return value
        }
        try? await channel?.close()
        await disconnectAll(deadline: deadline)
        accepted.continuation.finish()
        let workers = self.workers.withLockedValue { $0 }
        if let workers, !(await Self.within(deadline, { await workers.value })) {
            logger.warning("gateway connection workers still running after the drain deadline",
                           metadata: ["deadline_s": "\(Self.seconds(deadline))"])
        }
    }

    /// Whether `work` finished within `deadline`. Returns at the deadline without waiting for
    /// `work` (a task group would: its end awaits every child, and neither a flush to a stalled
    /// link nor a worker's end answers cancellation).
    static func within(_ deadline: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        let pending = NIOLockedValueBox<CheckedContinuation<Bool, Never>?>(nil)
        let finish: @Sendable (Bool) -> Void = { result in
            pending.withLockedValue { continuation in
                continuation?.resume(returning: result)
                continuation = nil
            }
        }
        return await withCheckedContinuation { continuation in
            pending.withLockedValue { $0 = continuation }
            Task {
                await work()
                finish(true)
            }
            Task {
                try? await Task.sleep(for: deadline)
                finish(false)
            }
        }
    }

    private func disconnectAll(deadline: Duration) async {
        let links = fleet.registry.all
        guard !links.isEmpty else {
            logger.info("gateway server stopped", metadata: ["gateways.disconnected": "0"])
            return
        }
        let started = ContinuousClock.now
        await fleet.markSeen(links)
        let recorded = ContinuousClock.now - started
        let farewell = Message.error(ErrorMessage(code: ErrorCode.shuttingDown.rawValue,
                                                  message: "controller shutting down; reconnect later"))
        let closed = links.map { link in
            let channel = link.channel
            return channel.eventLoop.flatSubmit {
                channel.writeAndFlush(farewell).recover { _ in }.flatMap { channel.close() }.recover { _ in }
            }
        }
        let all = EventLoopFuture.andAllComplete(closed, on: group.next())
        let drained = await Self.within(deadline) { _ = try? await all.get() }
        if !drained {
            for link in links where link.channel.isActive { link.channel.close(promise: nil) }
        }
        logger.info("gateway server stopped", metadata: [
            "gateways.disconnected": "\(links.count)", "drain.complete": "\(drained)",
            "drain.last_seen_s": "\(Self.seconds(recorded))", "drain.total_s": "\(Self.seconds(ContinuousClock.now - started))",
        ])
    }
}
