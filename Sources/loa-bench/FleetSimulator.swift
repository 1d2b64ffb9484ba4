import LoaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// N simulated gateways in this process, each a real protocol client (LoaProtocol's codecs,
/// handshake and session handler) on a shared event loop group. Like `loa-gateway`, each
/// reconnects after LoaProtocol's `ReconnectBackoff` (0.5–1 s after a session that was ready,
/// doubling per failed attempt, with jitter).
final class FleetSimulator: Sendable {
    struct Gateway: Sendable {
        var id: String
        var secret: [UInt8]
    }

    struct Options: Sendable {
        var host: String
        var port: Int
        /// Source addresses 127.0.0.2 … used in turn (0: let the kernel choose), past the
        /// ~28 000 ephemeral ports of one address.
        var sourceAddresses: Int
        var clockSeconds: Int64
        var behaviour: SimulatedGateway.Behaviour
    }

    let gateways: [Gateway]
    let options: Options
    let group: MultiThreadedEventLoopGroup
    let tally = FleetTally()
    private let channels: NIOLockedValueBox<[(any Channel)?]>
    private let readySet: NIOLockedValueBox<Set<Int>>
    private let backoffs: NIOLockedValueBox<[ReconnectBackoff]>
    private let stopping = NIOLockedValueBox(false)
    private let logger: Logger

    init(gateways: [Gateway], options: Options, threads: Int) {
        self.gateways = gateways
        self.options = options
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.channels = NIOLockedValueBox(Array(repeating: nil, count: gateways.count))
        self.readySet = NIOLockedValueBox([])
        self.backoffs = NIOLockedValueBox(Array(repeating: ReconnectBackoff(), count: gateways.count))
        var logger = Logger(label: "loa-bench")
        logger.logLevel = .critical
        self.logger = logger
    }

    /// Starts gateway `index`'s connection (and, when it closes, its next one).
    func connect(_ index: Int) {
        guard !stopping.withLockedValue({ $0 }) else { return }
        let gateway = gateways[index]
        let started = NIODeadline.now().uptimeNanoseconds
        let session = GatewaySessionHandler.Configuration(
            session: .init(gatewayID: gateway.id, secret: gateway.secret, software: "loa-bench"),
            handshakeTimeout: .seconds(30), clockSyncInterval: .seconds(options.clockSeconds), clockSyncBurst: 1)
        let tally = self.tally
        let logger = self.logger
        let behaviour = options.behaviour
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try ops.addHandler(ByteTap(tally: tally))
                    try ops.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try ops.addHandler(MessageToByteHandler(FrameEncoder()))
                    try ops.addHandler(ErrorFramePeek(tally: tally))
                    try ops.addHandler(GatewaySessionHandler(configuration: session, logger: logger))
                    try ops.addHandler(SimulatedGateway(gatewayID: gateway.id, behaviour: behaviour, tally: tally,
                                                        connectStartedNs: started) { [self] ready in
                        readySet.withLockedValue { set in if ready { set.insert(index) } else { set.remove(index) } }
                        if ready { backoffs.withLockedValue { $0[index].reset() } }
                    })
                }
            }
        if options.sourceAddresses > 0, let source = try? SocketAddress(ipAddress: "127.0.0.\(2 + index % options.sourceAddresses)", port: 0) {
            bootstrap = bootstrap.bind(to: source)
        }
        bootstrap.connect(host: options.host, port: options.port).whenComplete { [self] result in
            switch result {
            case .success(let channel):
                channels.withLockedValue { $0[index] = channel }
                channel.closeFuture.whenComplete { [self] _ in
                    channels.withLockedValue { $0[index] = nil }
                    retry(index)
                }
            case .failure:
                tally.update { $0.connectFailures += 1 }
                retry(index)
            }
        }
    }

    private func retry(_ index: Int) {
        guard !stopping.withLockedValue({ $0 }) else { return }
        let ms = backoffs.withLockedValue { all in
            var random = SystemRandomNumberGenerator()
            return all[index].nextDelayMs(using: &random)
        }
        group.next().scheduleTask(in: .milliseconds(ms)) { [self] in connect(index) }
    }

    /// Closes `count` ready sessions chosen at random (churn); each reconnects as after any close.
    func closeRandom(_ count: Int) {
        let chosen = readySet.withLockedValue { Array($0.shuffled().prefix(count)) }
        let open = channels.withLockedValue { all in chosen.compactMap { all[$0] } }
        for channel in open { channel.close(promise: nil) }
    }

    /// Stops reconnecting and closes every connection.
    func shutdown() async throws {
        stopping.withLockedValue { $0 = true }
        let open = channels.withLockedValue { $0.compactMap { $0 } }
        for channel in open { channel.close(promise: nil) }
        try await group.shutdownGracefully()
    }
}
