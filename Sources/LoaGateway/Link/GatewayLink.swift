import Foundation
import LoaProtocol
import LoaSchedule
import Logging
import NIOCore
import NIOPosix

/// The gateway's connection to its controller: dials the configured hosts in turn, keeps one
/// session up, and reconnects with LoaProtocol's capped exponential backoff and jitter, moving
/// to the next host after a failure. Every event is handled on one serial work queue (disk I/O
/// must not block the event loop), so the player is never held up by the network.
public final class GatewayLink: @unchecked Sendable {
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
    let clockOffset: ClockOffset
    var logger: Logger
    let group: any EventLoopGroup
    let queue = DispatchQueue(label: "loa-link")
    let fetcher: ContentFetcher
    let commands: GatewayCommands
    private let lock = NSLock()
    private var statusValue = Status()
    private var task: Task<Void, Never>?
    // Owned by `queue`.
    var channel: (any Channel)?
    var ready = false
    var sentIDs: Set<UUID> = []
    var schedule: GatewaySchedule?
    var clockFilter = ClockSyncFilter()

    public init(settings: Settings, state: LocalState, player: PlayerService, clockOffset: ClockOffset,
                commands: GatewayCommands = GatewayCommands(volume: nil), group: any EventLoopGroup, logger: Logger) {
        self.commands = commands
        self.settings = settings
        self.state = state
        self.player = player
        self.clockOffset = clockOffset
        self.group = group
        self.logger = logger
        self.fetcher = ContentFetcher(cache: state.cache, logger: logger)
    }

    public var status: Status { lock.withLock { statusValue } }

    func updateStatus(_ change: (inout Status) -> Void) { lock.withLock { change(&statusValue) } }

    /// Starts dialling with `schedule` (the stored one) as what the cache must hold.
    public func start(schedule: GatewaySchedule?) {
        queue.sync {
            self.schedule = schedule
            fetcher.need(schedule)
        }
        task = Task { await run() }
    }

    /// Closes the session and stops reconnecting.
    public func stop() async {
        task?.cancel()
        let channel = await onQueue { self.channel }
        try? await channel?.close()
        await task?.value
    }

    /// Something was appended to the outbox: send it if a session is up.
    public func outboxChanged() {
        queue.async { self.sendPending() }
    }

    private func run() async {
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
        var bootstrap = ClientBootstrap(group: group).connectTimeout(.seconds(10))
        if let option = GatewaySocketOptions.tcpUserTimeout { bootstrap = bootstrap.channelOption(option, value: 360_000) }
        do {
            let channel = try await bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try settings.addTLS?(ops, address.isIPLiteral ? nil : address.host)
                    try ops.addLoaGatewayHandlers(configuration: settings.session, logger: sessionLogger)
                    try ops.addHandler(LinkHandler(
                        onEvent: { [weak self] event, channel in
                            guard let self else { return }
                            queue.async { self.handle(event, on: channel) }
                        },
                        onClose: { [weak self] in
                            guard let self else { return }
                            queue.async { self.closed() }
                        }))
                }
            }.connect(host: address.host, port: address.port).get()
            await onQueue { self.channel = channel }
            logger.info("connected", metadata: ["controller": "\(address)"])
            try? await channel.closeFuture.get()
        } catch {
            logger.warning("cannot connect", metadata: ["controller": "\(address)", "error": "\(error)"])
            return false
        }
        return await onQueue {
            let wasReady = self.ready
            self.ready = false
            self.channel = nil
            return wasReady
        }
    }

    /// Runs `body` on the link's queue and awaits its result, without blocking a cooperative
    /// thread as `queue.sync` would.
    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    private func closed() {
        if ready { logger.warning("link closed") }
        fetcher.reset()
        sentIDs = []
        updateStatus { $0.connected = false }
    }
}
