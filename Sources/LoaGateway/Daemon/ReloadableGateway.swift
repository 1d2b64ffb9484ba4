import LoaService
import Logging
import NIOConcurrencyHelpers

/// `loa-gateway` as the daemon shell runs it: a `GatewayDaemon` built from the configuration
/// file, rebuilt from a fresh read on SIGHUP (a file that does not load keeps the running one).
public final class ReloadableGateway: Daemon {
    private let path: String
    private let environment: [String: String]
    private let logger: Logger
    private let logRing: LogRing?
    private let running: NIOLockedValueBox<GatewayDaemon>

    public init(configuration: GatewayConfiguration, path: String, environment: [String: String], logger: Logger,
                logRing: LogRing?) {
        self.path = path
        self.environment = environment
        self.logger = logger
        self.logRing = logRing
        running = NIOLockedValueBox(GatewayDaemon(configuration: configuration, logger: logger, logRing: logRing))
    }

    public var status: String { "running" }

    public func start() async throws { try running.withLockedValue { $0 }.start() }

    public func reload() async {
        let fresh: GatewayConfiguration
        do {
            fresh = try GatewayConfiguration.load(path: path, environment: environment)
        } catch {
            logger.error("configuration not reloaded; keeping the running one", metadata: ["error": "\(error)"])
            return
        }
        logger.info("reloading configuration")
        await running.withLockedValue { $0 }.stop()
        let daemon = GatewayDaemon(configuration: fresh, logger: logger, logRing: logRing)
        running.withLockedValue { $0 = daemon }
        do {
            try daemon.start()
        } catch {
            logger.critical("cannot start with the reloaded configuration", metadata: ["error": "\(error)"])
        }
    }

    public func stop() async { await running.withLockedValue { $0 }.stop() }
}
