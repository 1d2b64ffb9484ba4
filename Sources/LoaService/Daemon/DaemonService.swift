import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a `Daemon` as a swift-service-lifecycle `Service`: start, READY=1, the watchdog, reload on
/// SIGHUP, and on graceful shutdown (SIGTERM, SIGINT through the `ServiceGroup`) STOPPING=1 and
/// stop. The one daemon shell of `loa-gateway` and `loa-controller`.
public struct DaemonService<Wrapped: Daemon>: Service {
    public let daemon: Wrapped
    public let notifier: SystemdNotifier
    public let logger: Logger

    public init(daemon: Wrapped, notifier: SystemdNotifier, logger: Logger) {
        self.daemon = daemon
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        // Trapped before start: a SIGHUP while starting (or right after READY=1) must not take
        // its default action, which would end the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        do {
            try await daemon.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            await daemon.stop()
            throw error
        }
        notifier.notify("READY=1\nSTATUS=\(daemon.status)")
        await withTaskGroup(of: Void.self) { tasks in
            if let interval = notifier.watchdogInterval {
                tasks.addTask { [notifier] in
                    while !Task.isCancelled {
                        notifier.notify("WATCHDOG=1")
                        try? await Task.sleep(for: interval)
                    }
                }
            }
            tasks.addTask { [daemon, notifier] in
                for await _ in hangups {
                    notifier.notify("RELOADING=1")
                    await daemon.reload()
                    notifier.notify("READY=1")
                }
            }
            // Returns on SIGTERM / SIGINT (graceful shutdown) or when the group is cancelled.
            try? await gracefulShutdown()
            tasks.cancelAll()
        }
        logger.info("stopping")
        notifier.notify("STOPPING=1")
        await daemon.stop()
    }

    /// Runs the daemon in a `ServiceGroup` that turns SIGTERM and SIGINT into a graceful
    /// shutdown, until it has stopped.
    public func runUntilTerminated() async throws {
        let group = ServiceGroup(configuration: .init(services: [self], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }
}
