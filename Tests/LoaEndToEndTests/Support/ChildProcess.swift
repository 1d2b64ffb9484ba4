import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real child process started with posix_spawn (Foundation's `Process` can hang in its waits
/// while another child lives), stdout and stderr to files, waited for without blocking a
/// cooperative thread.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private let lock = NSLock()
    private var status: Int32?

    /// `environment` is added to this process's, minus every `LOA_*` variable (the daemons and
    /// loactl read those as overrides; a developer's shell must not change a test).
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String = "/dev/null",
         stdout: String, stderr: String) throws {
        stdoutPath = stdout
        stderrPath = stderr
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LOA_") }.merging(environment) { $1 }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, nil, argv, env)
        guard code == 0 else { throw HarnessError("cannot start \(executable): \(String(cString: strerror(code)))") }
        self.pid = pid
    }

    /// The exit status if the process has ended (128 + signal when killed by one).
    var exitStatus: Int32? {
        lock.withLock {
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                }
            }
            return status
        }
    }

    var isRunning: Bool { exitStatus == nil }

    /// Waits up to `seconds` for the exit; nil when it still runs.
    func waitForExit(seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus
    }

    /// Sends `signal` and waits for the exit (SIGKILL after `seconds` if it is still there).
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, seconds: Double = 15) async -> Int32? {
        guard isRunning else { return exitStatus }
        kill(pid, signal)
        if let status = await waitForExit(seconds: seconds) { return status }
        kill(pid, SIGKILL)
        return await waitForExit(seconds: 5)
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }
}

/// A harness step that could not be done (not a failed expectation: the scenario cannot go on).
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The executables this package builds, found beside the test bundle.
enum Built {
    static func path(_ name: String) -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return candidates.map { $0.appendingPathComponent(name).path }.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? name
    }

    static var available: Bool {
        ["loa-controller", "loa-gateway", "loactl"].allSatisfy { FileManager.default.isExecutableFile(atPath: path($0)) }
    }
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held. Sleeps with
/// `Task.sleep`, so a long wait holds no thread of the shared pool.
func eventually(_ seconds: Double, every interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    } while Date() < deadline
    return try await condition()
}
