import ArgumentParser
import LoaGateway
import LoaService
import Logging

/// `loa-gateway`: the offline-first daemon beside each loudspeaker cluster. Parsing and wiring
/// only; the daemon shell (signals, sd_notify, reload) is LoaService's.
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
        let shell = DaemonShell<GatewayConfiguration>(program: "loa-gateway")
        if let checkConfig {
            return try shell.checkConfiguration(path: checkConfig) {
                "gateway '\($0.gateway.id)', \($0.controller.hosts.count) controller host(s)"
            }
        }
        let configuration = try shell.load(path: config)
        let ring = GatewayLogging.bootstrap(level: configuration.logLevel ?? .info)
        var logger = Logger(label: "loa.gateway")
        logger[metadataKey: "gateway.id"] = "\(configuration.gateway.id)"
        shell.warnAboutOldNames(logger)
        try await shell.run(ReloadableGateway(configuration: configuration, path: config, environment: shell.environment,
                                           logger: logger, logRing: ring), logger: logger)
    }
}
