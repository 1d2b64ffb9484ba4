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
        let environment = ProcessInfo.processInfo.environment
        if let checkConfig {
            do {
                let loaded = try ControllerConfiguration.load(path: checkConfig, environment: environment)
                for (old, new) in ControllerConfiguration.deprecatedVariables(in: environment) {
                    FileHandle.standardError.write(Data("loa-controller: warning: \(old) is the old name of \(new); rename it (the old names go in the next release)\n".utf8))
                }
                print("\(checkConfig): ok (gateways on \(loaded.gateways.listenHost):\(loaded.gateways.listenPort), HTTP API and console on \(loaded.http.listen), state in \(loaded.state.directory))")
                return
            } catch {
                FileHandle.standardError.write(Data("loa-controller: \(error)\n".utf8))
                throw ExitCode(ExitStatus.configuration)
            }
        }
        let configuration = try loadConfiguration(path: config, environment: environment)
        let logger = bootstrapLogging(configuration)
        for (old, new) in ControllerConfiguration.deprecatedVariables(in: environment) {
            logger.warning("old environment variable name; rename it (the old names go in the next release)",
                           metadata: ["variable": "\(old)", "variable.new": "\(new)"])
        }
        try await ControllerDaemon(configuration: configuration, environment: environment, logger: logger)
            .run(printOnce: { print(adminPasswordLine($0)) })
    }
}

/// Printed on standard output once, when the admin user is created with a generated password.
func adminPasswordLine(_ password: String) -> String {
    "loa-controller: first start; user 'admin' has password \(password) (shown once)"
}

/// Loads the configuration or exits with the error on stderr (status 78, EX_CONFIG).
func loadConfiguration(path: String?, environment: [String: String]) throws -> ControllerConfiguration {
    do {
        return try ControllerConfiguration.load(path: path, environment: environment)
    } catch {
        FileHandle.standardError.write(Data("loa-controller: \(error)\n".utf8))
        throw ExitCode(ExitStatus.configuration)
    }
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
