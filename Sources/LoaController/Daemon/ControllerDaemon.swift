import Dispatch
import NIOCore
import Foundation
import LoaService
import Logging
import NIOPosix

/// `loa-controller` running: opens the state, creates the admin on first start, serves gateways
/// until SIGTERM or SIGINT (SIGHUP only rechecks schedules), then drains (tells gateways, closes connections) and exits.
public struct ControllerDaemon: Sendable {
    public let configuration: ControllerConfiguration
    public let environment: [String: String]
    public let logger: Logger

    public init(configuration: ControllerConfiguration, environment: [String: String], logger: Logger) {
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
    }

    /// `printOnce` receives the generated admin password on first start.
    public func run(printOnce: @Sendable (String) -> Void) async throws {
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
        let server = GatewayServer(configuration: .init(configuration), fleet: fleet, secrets: secrets, group: group, logger: logger)
        let live = LiveHub(fleet: fleet, settings: LiveSettings(configuration), logger: logger)
        await live.recoverAfterRestart()
        let api = makeAPIServer(state: state, fleet: fleet, secrets: secrets, metrics: metrics, live: live, group: group)
        let signals = TerminationSignals.stream()
        do {
            try await server.start()
            try await api.start()
        } catch {
            await server.stop()
            try? await group.shutdownGracefully()
            throw error
        }
        let notifier = SystemdNotifier(environment: environment)
        notifier.notify("READY=1\nSTATUS=serving gateways and the HTTP API")
        let background = Task {
            await withTaskGroup(of: Void.self) { tasks in
                if let interval = notifier.watchdogInterval {
                    tasks.addTask { await Self.every(interval) { notifier.notify("WATCHDOG=1") } }
                }
                let recheck = configuration.gateways.scheduleRecheckSeconds
                if recheck > 0 {
                    tasks.addTask { await Self.every(.seconds(recheck)) { fleet.recheckConnectedSchedules() } }
                }
                let missedAfter = configuration.playLog.missedAfterSeconds
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
        var received: Int32 = 0
        for await signal in signals {
            received = signal
            guard signal == SIGHUP else { break }
            // systemd's ExecReload: settings need a restart; re-read what can change underneath.
            logger.notice("SIGHUP: rechecking connected gateways' schedules (configuration changes need a restart)")
            fleet.recheckConnectedSchedules()
        }
        logger.notice("shutting down", metadata: ["signal": "\(received)"])
        notifier.notify("STOPPING=1")
        background.cancel()
        // Live streams first (liveEnd `controller stopping`, sources disconnected): a source
        // request never ends by itself, and the API waits for requests in flight.
        await live.stopAll()
        // The API next: its requests in flight may still send to gateways.
        await api.stop()
        await server.stop()
        try await group.shutdownGracefully()
        logger.notice("stopped")
    }

    /// The HTTP API over the same state, fleet and metrics as the gateway server.
    func makeAPIServer(state: ControllerState, fleet: GatewayFleet, secrets: GatewaySecretCache, metrics: ControllerMetrics,
                       live: LiveHub, group: any EventLoopGroup) -> APIServer {
        let ingest = BulletinIngest(pipeline: IngestPipeline(settings: IngestSettings(configuration)), content: state.content,
                                    bulletins: state.database, approvalRequired: configuration.bulletins.approvalRequired,
                                    queue: IngestQueue(IngestAdmission(configuration)), logger: logger)
        let services = APIServices(store: state.database, content: state.content, fleet: fleet, ingest: ingest, metrics: metrics,
                                   settings: APISettings(configuration), secrets: secrets, live: live, logger: logger)
        let address = configuration.httpListenAddress ?? (host: "127.0.0.1", port: 8080)
        return APIServer(host: address.host, port: address.port, services: services, group: group, logger: logger)
    }

    /// How long after start-up the first missed sweep waits.
    static let missedSweepGrace: Duration = .seconds(600)

    static func every(_ interval: Duration, _ body: @Sendable () -> Void) async {
        while !Task.isCancelled {
            body()
            try? await Task.sleep(for: interval)
        }
    }
}
