import ArgumentParser
import Foundation
import LoaController
import LoaService
import Logging

/// `loa-controller`: the central daemon. Wiring only; the work is in the LoaController library.
@main
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa-controller",
        abstract: "The Loa controller: serves gateways their schedules, content and commands.",
        subcommands: [ServeCommand.self, AdminCommand.self],
        defaultSubcommand: ServeCommand.self)
}

/// The daemon, and the default: `loa-controller --config FILE` is `loa-controller serve --config FILE`.
/// (A subcommand rather than options on the root, so that `admin … --config` reaches the admin command.)
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the controller daemon (the default), or check a configuration file.")

    @Option(name: .long, help: "TOML configuration file (docs/CONFIG-controller.md).")
    var config: String?

    @Option(name: .customLong("check-config"), help: "Check a configuration file (with LOA_CTL_* overrides) and exit 0, or 78 (EX_CONFIG).")
    var checkConfig: String?

    func run() async throws {
        let shell = DaemonShell<ControllerConfiguration>(program: "loa-controller")
        if let checkConfig {
            return try shell.checkConfiguration(path: checkConfig) {
                "gateways on \($0.gateways.listenHost):\($0.gateways.listenPort), HTTP API and console on \($0.http.listen), state in \($0.state.directory)"
            }
        }
        let configuration = try shell.load(path: config)
        let logger = bootstrapLogging(configuration)
        shell.warnAboutOldNames(logger)
        try await shell.run(ControllerDaemon(configuration: configuration, environment: shell.environment, logger: logger,
                                             printOnce: { print(adminPasswordLine($0)) }), logger: logger)
    }
}

/// Printed on standard output once, when the admin user is created with a generated password.
func adminPasswordLine(_ password: String) -> String {
    "loa-controller: first start; user 'admin' has password \(password) (shown once)"
}

/// Structured logs (key=value metadata) to stderr at the configured level, one line per record
/// whatever a client sent (`LineSafeLogHandler`).
func bootstrapLogging(_ configuration: ControllerConfiguration) -> Logger {
    let level = configuration.logLevel ?? .info
    LoggingSystem.bootstrap { label in
        var handler = LineSafeLogHandler(base: StreamLogHandler.standardError(label: label))
        handler.logLevel = level
        return handler
    }
    return Logger(label: "loa.controller")
}
