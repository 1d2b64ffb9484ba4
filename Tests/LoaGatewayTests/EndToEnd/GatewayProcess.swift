import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `loa-gateway` process, started with posix_spawn (not Foundation `Process`, whose
/// waits can hang while another child lives), stderr to a file, stopped by pid.
final class GatewayProcess {
    /// The executable, built by `swift build --build-tests` beside the test bundle.
    static let path: String? = {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return directories.map { $0.appendingPathComponent("loa-gateway").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    let pid: pid_t
    let logPath: String
    private(set) var exitStatus: Int32?

    init(executable: String, arguments: [String], logPath: String, extraEnvironment: [String: String] = [:]) throws {
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let all = [executable] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = all.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extraEnvironment) { $1 }
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        self.pid = pid
    }

    /// Sends `signal` and waits up to `timeout` for the exit; returns the exit status (nil = still running).
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: TimeInterval) -> Int32? {
        if exitStatus != nil { return exitStatus }
        kill(pid, signal)
        return waitForExit(timeout: timeout)
    }

    /// Waits up to `timeout` for the process to exit by itself; nil = still running.
    @discardableResult
    func waitForExit(timeout: TimeInterval) -> Int32? {
        if exitStatus != nil { return exitStatus }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return exitStatus
            }
            usleep(20_000)
        }
        return nil
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}
