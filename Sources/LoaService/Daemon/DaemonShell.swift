import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// What both daemons' executables do before their `Daemon` runs: `--check-config`, loading the
/// configuration (exit 78, EX_CONFIG, naming file, line and key), and warning about old
/// environment names. The executables keep only argument parsing and wiring.
public struct DaemonShell<Configuration: DaemonConfiguration>: Sendable {
    /// `loa-gateway`, `loa-controller`: the prefix of every line written to stderr.
    public let program: String
    public let environment: [String: String]

    public init(program: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.program = program
        self.environment = environment
    }

    /// `--check-config FILE`: prints "FILE: OK (summary)" and returns, or writes the error and
    /// exits 78. Old variable names are warned about on stderr.
    public func checkConfiguration(path: String, summary: (Configuration) -> String) throws {
        let loaded = try load(path: path)
        for (old, new) in Configuration.deprecatedVariables(in: environment) {
            PosixFile.writeToStandardError("\(program): warning: \(old) is the old name of \(new); \(Self.renameAdvice)\n")
        }
        print("\(path): OK (\(summary(loaded)))")
    }

    /// The configuration, or the error on stderr and exit 78.
    public func load(path: String?) throws -> Configuration {
        do {
            return try Configuration.load(path: path, environment: environment)
        } catch {
            PosixFile.writeToStandardError("\(program): \(error)\n")
            throw ExitCode(ExitStatus.configuration)
        }
    }

    /// Logs a warning for each old-style variable in the environment, once logging is set up.
    public func warnAboutOldNames(_ logger: Logger) {
        for (old, new) in Configuration.deprecatedVariables(in: environment) {
            logger.warning("old environment variable name; \(Self.renameAdvice)",
                           metadata: ["variable": "\(old)", "variable.new": "\(new)"])
        }
    }

    /// Runs `daemon` until SIGTERM or SIGINT; a failure to start exits 1 (it is logged).
    public func run(_ daemon: some Daemon, logger: Logger) async throws {
        do {
            try await DaemonService(daemon: daemon, notifier: SystemdNotifier(environment: environment), logger: logger)
                .runUntilTerminated()
        } catch {
            throw ExitCode(1)
        }
    }

    static var renameAdvice: String { "rename it (the old names go in the next release)" }
}
