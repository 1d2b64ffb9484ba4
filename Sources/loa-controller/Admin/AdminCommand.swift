import ArgumentParser
import Foundation
import LoaController
import LoaService
import Logging

/// `loa-controller admin …`: works directly on the database, for bootstrapping and tests until
/// the HTTP API exists. Safe beside a running daemon (SQLite WAL); the daemon notices schedule
/// changes within `gateways.schedule_recheck_seconds`.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Change the controller's database directly (areas, gateways, users, bulletins, schedules, log).",
        subcommands: [AreaCommand.self, GatewayCommand.self, UserCommand.self, BulletinCommand.self, ScheduleCommand.self, LogCommand.self])
}

/// Options every admin subcommand takes.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: "TOML configuration file naming the state directory.")
    var config: String?

    @Option(name: .customLong("as"), help: "Who the audit log records as making the change.")
    var actor = "admin"

    var origin: AuditOrigin { AuditOrigin(actor: actor) }

    /// The configuration and the opened state, with logs at the configured level (warnings by default).
    /// The first command on a fresh state directory creates the admin user, as the daemon would.
    func open() async throws -> (ControllerConfiguration, ControllerState, Logger) {
        let shell = DaemonShell<ControllerConfiguration>(program: "loa-controller")
        let environment = shell.environment
        var configuration = try shell.load(path: config)
        if environment["LOA_CTL_LOG_LEVEL"] == nil && environment["LOA_CONTROLLER_LOG_LEVEL"] == nil && configuration.log.level == "info" { configuration.log.level = "warning" }
        let logger = bootstrapLogging(configuration)
        let state = try ControllerState.open(configuration, logger: logger)
        if case .created(let generated?) = try await state.bootstrapAdmin(environment: environment) {
            print(adminPasswordLine(generated))
        }
        return (configuration, state, logger)
    }
}
