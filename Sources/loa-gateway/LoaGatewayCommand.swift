import ArgumentParser
import Dispatch
import Foundation
import LoaGateway
import LoaService
import Logging

/// `loa-gateway`: the offline-first daemon beside each loudspeaker cluster.
@main
struct LoaGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa-gateway",
        abstract: "Plays the commune's schedule and announcements through ALSA; reports to the Loa controller.")

    @Option(name: .long, help: "Configuration file (TOML; see docs/CONFIG-gateway.md).")
    var config: String = "/etc/loa/gateway.toml"

    @Option(name: .customLong("check-config"), help: "Validate this configuration file (with LOA_GW_* overrides) and exit 0, or 78 (EX_CONFIG) naming the key and line.")
    var checkConfig: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if let checkConfig {
            do {
                let loaded = try GatewayConfiguration.load(path: checkConfig, environment: environment)
                for (old, new) in GatewayConfiguration.deprecatedVariables(in: environment) {
                    FileHandle.standardError.write(Data("loa-gateway: warning: \(old) is the old name of \(new); rename it (the old names go in the next release)\n".utf8))
                }
                print("\(checkConfig): OK (gateway '\(loaded.gateway.id)', \(loaded.controller.hosts.count) controller host(s))")
                return
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(ExitStatus.configuration)
            }
        }
        var configuration: GatewayConfiguration
        do { configuration = try GatewayConfiguration.load(path: config, environment: environment) } catch {
            FileHandle.standardError.write(Data("loa-gateway: \(error)\n".utf8))
            throw ExitCode(ExitStatus.configuration)
        }
        let level = configuration.logLevel ?? .info
        // Every line also goes to a ring the control socket serves (`loactl gateway logs`).
        let ring = LogRing(capacity: 1_000)
        LoggingSystem.bootstrap { label in
            var handler = TeeLogHandler(label: label, base: StreamLogHandler.standardError(label: label), ring: ring)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "loa.gateway")
        logger[metadataKey: "gateway.id"] = "\(configuration.gateway.id)"
        for (old, new) in GatewayConfiguration.deprecatedVariables(in: environment) {
            logger.warning("old environment variable name; rename it (the old names go in the next release)",
                           metadata: ["variable": "\(old)", "variable.new": "\(new)"])
        }
        // Handlers first: a signal that arrives while starting (or right after READY=1) must not
        // take its default action (SIGHUP would kill the process).
        let signals = TerminationSignals.stream()
        let notifier = SystemdNotifier(environment: environment)
        var daemon = GatewayDaemon(configuration: configuration, logger: logger, logRing: ring)
        do { try daemon.start() } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        notifier.notify("READY=1\nSTATUS=running")
        let watchdog = notifier.watchdogInterval.map { interval in
            Task {
                while !Task.isCancelled {
                    notifier.notify("WATCHDOG=1")
                    try? await Task.sleep(for: interval)
                }
            }
        }
        for await signal in signals {
            if signal == SIGHUP {
                notifier.notify("RELOADING=1")
                do {
                    let fresh = try GatewayConfiguration.load(path: config, environment: environment)
                    logger.info("reloading configuration")
                    await daemon.stop()
                    configuration = fresh
                    daemon = GatewayDaemon(configuration: fresh, logger: logger, logRing: ring)
                    try daemon.start()
                } catch {
                    logger.error("configuration not reloaded; keeping the running one", metadata: ["error": "\(error)"])
                }
                notifier.notify("READY=1")
                continue
            }
            logger.info("stopping", metadata: ["signal": "\(signal)"])
            notifier.notify("STOPPING=1")
            break
        }
        watchdog?.cancel()
        await daemon.stop()
    }
}
