import Foundation
import LoaService
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// `loa-controller` running: opens the state, creates the admin on first start, serves gateways
/// and the HTTP API; SIGHUP only rechecks schedules; stop drains (live streams end, the API
/// finishes requests in flight, gateways are told, connections close). Run by LoaService's
/// daemon shell.
public final class ControllerDaemon: Daemon {
    public let configuration: ControllerConfiguration
    public let environment: [String: String]
    public let logger: Logger
    /// Receives the generated admin password on first start.
    private let printOnce: @Sendable (String) -> Void
    private let parts = NIOLockedValueBox<Parts?>(nil)

    /// What `start` brought up, for `stop` to take down in reverse.
    struct Parts: Sendable {
        let group: MultiThreadedEventLoopGroup
        let fleet: GatewayFleet
        let server: GatewayServer
        let live: LiveHub
        let icecast: IcecastPort?
        let api: APIServer
        let background: Task<Void, Never>
    }

    public init(configuration: ControllerConfiguration, environment: [String: String], logger: Logger,
                printOnce: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
        self.printOnce = printOnce
    }

    public var status: String { "serving gateways and the HTTP API" }

    public func start() async throws {
        let state = try ControllerState.open(configuration, logger: logger)
        if case .created(let generated) = try await state.bootstrapAdmin(environment: environment) {
            logger.notice("created the admin user")
            if let generated { printOnce(generated) }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let metrics = ControllerMetrics()
        let fleet = GatewayFleet(store: state.database, content: state.content, timeZone: configuration.bulletins.timeZone,
                                 chunkBytes: configuration.gateways.contentChunkBytes, metrics: metrics, logger: logger)
        let secrets = GatewaySecretCache(store: state.database, logger: logger)
        do throws(StoreError) {
            secrets.preload(try await state.database.allHandshakeSecrets().mapValues(\.handshakeKey), nowMs: Int64(Date().timeIntervalSince1970 * 1000))
        } catch {
            logger.warning("gateway secrets not preloaded; each is read at its gateway's hello", metadata: ["error": "\(error)"])
        }
        let server = GatewayServer(configuration: .init(configuration), fleet: fleet, secrets: secrets, group: group, logger: logger)
        let live = LiveHub(fleet: fleet, settings: LiveSettings(configuration), logger: logger)
        await live.recoverAfterRestart()
        let link = try configuration.linkSettings()
        let api = makeAPIServer(state: state, fleet: fleet, secrets: secrets, metrics: metrics, live: live, group: group, link: link)
        let icecast = configuration.icecastListenAddress.map { _ in IcecastPort(hub: live, group: group, logger: logger) }
        do {
            try await server.start()
            try await api.start()
            if let icecast, let address = configuration.icecastListenAddress {
                _ = try await icecast.start(host: address.host, port: address.port)
            }
        } catch {
            await api.stop()
            await server.stop()
            try? await group.shutdownGracefully()
            throw error
        }
        parts.withLockedValue {
            $0 = Parts(group: group, fleet: fleet, server: server, live: live, icecast: icecast, api: api,
                         background: background(fleet, relays: RelayScheduler(store: state.database, hub: live,
                                                                              timeZone: configuration.bulletins.timeZone, logger: logger),
                                                 upstream: upstreamLink(link, services: api.services)))
        }
    }

    /// systemd's ExecReload: settings need a restart; re-read what can change underneath.
    public func reload() async {
        logger.notice("SIGHUP: rechecking connected gateways' schedules (configuration changes need a restart)")
        parts.withLockedValue { $0 }?.fleet.recheckConnectedSchedules()
    }

    public func stop() async {
        guard let parts = parts.withLockedValue({ value in defer { value = nil }; return value }) else { return }
        logger.notice("shutting down")
        parts.background.cancel()
        // Live streams first (liveEnd `controller stopping`, sources disconnected): a source
        // request never ends by itself, and the API waits for requests in flight.
        await parts.icecast?.stop()
        await parts.live.stopAll()
        // The console's fleet event streams never end by themselves either.
        parts.fleet.changes.close()
        // The API next: its requests in flight may still send to gateways.
        await parts.api.stop()
        await parts.server.stop()
        do { try await parts.group.shutdownGracefully() } catch {
            logger.warning("event loops did not shut down cleanly", metadata: ["error": "\(error)"])
        }
        logger.notice("stopped")
    }

    /// The schedule recheck, the missed sweep and the scheduled relays, until cancelled.
    private func background(_ fleet: GatewayFleet, relays: RelayScheduler, upstream: UpstreamLinkService?) -> Task<Void, Never> {
        let recheck = configuration.gateways.scheduleRecheckSeconds
        let missedAfter = configuration.playLog.missedAfterSeconds
        return Task {
            await withTaskGroup(of: Void.self) { tasks in
                if let upstream { tasks.addTask { await upstream.run() } }
                if recheck > 0 {
                    tasks.addTask {
                        // A slice a second, each gateway once per `recheck` seconds (no burst).
                        let rotation = ScheduleRecheckRotation(periodSeconds: recheck)
                        var tick = 0
                        while !Task.isCancelled {
                            fleet.recheckConnectedSchedules(rotation, tick: tick)
                            tick += 1
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
                tasks.addTask {
                    while !Task.isCancelled {
                        await relays.tick(now: Date())
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                if missedAfter > 0 {
                    tasks.addTask {
                        // Gateways reconnect within their backoff cap (5 minutes) after this
                        // controller's own restart: none is judged offline before that.
                        try? await Task.sleep(for: Self.missedSweepGrace)
                        while !Task.isCancelled {
                            await fleet.sweepMissed(missedAfter: TimeInterval(missedAfter), at: Date())
                            try? await Task.sleep(for: .seconds(60))
                        }
                    }
                }
            }
        }
    }

    /// The HTTP API over the same state, fleet and metrics as the gateway server.
    func makeAPIServer(state: ControllerState, fleet: GatewayFleet, secrets: GatewaySecretCache, metrics: ControllerMetrics,
                       live: LiveHub, group: any EventLoopGroup, link: LinkSettings? = nil) -> APIServer {
        let ingest = BulletinIngest(pipeline: IngestPipeline(settings: IngestSettings(configuration)), content: state.content,
                                    bulletins: state.database, approvalRequired: configuration.bulletins.approvalRequired,
                                    queue: IngestQueue(IngestAdmission(configuration)), logger: logger)
        let services = APIServices(store: state.database, content: state.content, fleet: fleet, ingest: ingest, metrics: metrics,
                                   settings: APISettings(configuration), secrets: secrets, live: live, logger: logger, link: link)
        let address = configuration.httpListenAddress ?? (host: "127.0.0.1", port: 8080)
        return APIServer(host: address.host, port: address.port, services: services, group: group, logger: logger)
    }

    /// The link to this controller's upstream, when `[upstream]` names one.
    func upstreamLink(_ link: LinkSettings?, services: APIServices) -> UpstreamLinkService? {
        guard let link, let upstream = link.upstream else { return nil }
        logger.notice("linking to the upstream", metadata: ["upstream.url": "\(upstream.url.absoluteString)", "link.identity": "\(link.identity)"])
        return UpstreamLinkService(upstream: upstream, identity: link.identity,
                                   link: LoaExchangeLink(base: upstream.url, name: upstream.name, key: upstream.key),
                                   services: services, logger: logger)
    }

    /// How long after start-up the first missed sweep waits.
    static let missedSweepGrace: Duration = .seconds(600)
}
