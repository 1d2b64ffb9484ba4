#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import LoaSchedule
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The gateway's connection to its controller: dials the configured hosts in turn, keeps one
/// session up, and reconnects with LoaProtocol's capped exponential backoff and jitter, moving
/// to the next host after a failure. An actor whose executor is the event loop its channel
/// runs on (`home`, a loop the link has to itself): session events are handled in order,
/// isolated, straight from the channel's handler, and the link's disk I/O (schedule store,
/// outbox, content cache) runs there — never on the cooperative pool, never on another
/// channel's loop. The player is never held up by the network: it gets inputs posted.
public actor GatewayLink {
    /// How to reach the controller.
    public struct Settings: Sendable {
        public var addresses: [ControllerAddress]
        public var session: GatewaySessionHandler.Configuration
        public var backoff: ReconnectBackoff
        /// Adds TLS in front of the protocol handlers, given the SNI host name (nil for IP literals);
        /// nil = plain TCP.
        public var addTLS: (@Sendable (ChannelPipeline.SynchronousOperations, String?) throws -> Void)?

        public init(addresses: [ControllerAddress], session: GatewaySessionHandler.Configuration, backoff: ReconnectBackoff,
                    addTLS: (@Sendable (ChannelPipeline.SynchronousOperations, String?) throws -> Void)? = nil) {
            self.addresses = addresses
            self.session = session
            self.backoff = backoff
            self.addTLS = addTLS
        }
    }

    /// What the health report shows about the link.
    public struct Status: Sendable, Equatable {
        public var connected = false
        public var controller: String?
        public var rttMs: Double?
        public var scheduleVersion: UInt64?
    }

    let settings: Settings
    let state: LocalState
    let player: PlayerService
    /// The player's clock: exchanges are stamped with its monotonic clock and the estimate goes to its `sync`.
    let clock: GatewayClock
    let logger: Logger
    /// The loop the channel and the actor run on.
    private nonisolated let home: any EventLoop
    let fetcher: ContentFetcher
    let commands: GatewayCommands
    /// What health and the control socket read, from their own threads.
    private nonisolated let published = NIOLockedValueBox(Status())
    /// The dialling task, cancelled by `stop()`.
    private nonisolated let dialling = NIOLockedValueBox<Task<Void, Never>?>(nil)
    var channel: (any Channel)?
    var ready = false
    var sentIDs: Set<UUID> = []
    var schedule: GatewaySchedule?
    var discipline = ClockDiscipline()
    /// Announcements whose audio is still being fetched, by content hash: the player gets each
    /// once its audio is in (late but whole), or once the controller says it has none.
    var awaitingAudio: [String: [PlayItem]] = [:]

    /// `group` gives the link its loop: give it a loop no other channel uses (the link's disk
    /// I/O runs there).
    public init(settings: Settings, state: LocalState, player: PlayerService,
                commands: GatewayCommands = GatewayCommands(volume: nil), group: any EventLoopGroup, logger: Logger) {
        self.commands = commands
        self.settings = settings
        self.state = state
        self.player = player
        self.clock = player.clock
        self.home = group.next()
        self.logger = logger
        self.fetcher = ContentFetcher(cache: state.cache, logger: logger)
    }

    public nonisolated var unownedExecutor: UnownedSerialExecutor { home.executor.asUnownedSerialExecutor() }

    public nonisolated var status: Status { published.withLockedValue { $0 } }

    func updateStatus(_ change: (inout Status) -> Void) { published.withLockedValue(change) }

    /// Starts dialling with `schedule` (the stored one) as what the cache must hold.
    public nonisolated func start(schedule: GatewaySchedule?) {
        dialling.withLockedValue { task in
            task = task ?? Task { await run(schedule: schedule) }
        }
    }

    /// Closes the session and stops reconnecting.
    public func stop() async {
        let task = dialling.withLockedValue { $0 }
        task?.cancel()
        try? await channel?.close()
        await task?.value
    }

    /// Something was appended to the outbox (from any thread): send it if a session is up.
    public nonisolated func outboxChanged() {
        home.execute { self.assumeIsolated { $0.sendPending() } }
    }

    private func run(schedule: GatewaySchedule?) async {
        self.schedule = schedule
        fetcher.need(schedule)
        var backoff = settings.backoff
        var random = SystemRandomNumberGenerator()
        var index = 0
        while !Task.isCancelled {
            let address = settings.addresses[index % settings.addresses.count]
            let wasReady = await session(with: address)
            if wasReady { backoff.reset() } else { index += 1 }
            let delay = backoff.nextDelayMs(using: &random)
            logger.info("reconnecting", metadata: ["delay.ms": "\(delay)", "next": "\(settings.addresses[index % settings.addresses.count])"])
            try? await Task.sleep(for: .milliseconds(delay))
        }
    }

    /// One connection, from dial to close. Returns whether the session reached `ready`.
    private func session(with address: ControllerAddress) async -> Bool {
        var channelLogger = logger
        channelLogger[metadataKey: "controller"] = "\(address)"
        let sessionLogger = channelLogger
        let settings = self.settings
        let monotonic = WallClock(clock.monotonicNow)
        var bootstrap = ClientBootstrap(group: home).connectTimeout(.seconds(10))
        if let option = GatewaySocketOptions.tcpUserTimeout { bootstrap = bootstrap.channelOption(option, value: 360_000) }
        do {
            let channel = try await bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try settings.addTLS?(ops, address.isIPLiteral ? nil : address.host)
                    try ops.addLoaGatewayHandlers(configuration: settings.session, clock: monotonic, logger: sessionLogger)
                    try ops.addHandler(LinkHandler(link: self))
                }
            }.connect(host: address.host, port: address.port).get()
            self.channel = channel
            logger.info("connected", metadata: ["controller": "\(address)"])
            try? await channel.closeFuture.get()
        } catch {
            logger.warning("cannot connect", metadata: ["controller": "\(address)", "error": "\(error)"])
            return false
        }
        let wasReady = ready
        ready = false
        self.channel = nil
        return wasReady
    }

    /// The channel ended (from its handler, on `home`).
    func closed() {
        if ready { logger.warning("link closed") }
        fetcher.reset()
        sentIDs = []
        updateStatus { $0.connected = false }
    }
}
