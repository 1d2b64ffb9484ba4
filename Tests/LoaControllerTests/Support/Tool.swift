import Foundation

/// Runs the built `loa-controller` as a person would.
enum Tool {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Path of an executable built by this package (beside the test bundle).
    static func built(_ name: String) -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent(name).path
    }

    /// Runs to completion with output captured in files (never a full pipe).
    static func run(_ arguments: [String], environment: [String: String] = [:], executable: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? built("loa-controller"))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LOA_") }
            .merging(environment) { $1 }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loa-ctl-\(UUID().uuidString)")
        let outURL = scratch.appendingPathExtension("out"), errURL = scratch.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? out.close(); try? err.close()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

extension Tool {
    /// Starts `program` with posix_spawn (not Foundation's `Process`, whose waits can hang while
    /// another child it started is alive): stdin from /dev/null, stdout to `stdout`, stderr to
    /// `stderr` (nil: the same file). `LOA_*` variables of the test run are not passed on.
    /// Returns the pid; stop it with `kill`, wait with `waitpid`.
    static func spawn(_ program: String, _ arguments: [String], stdout: String, stderr: String? = nil,
                      environment: [String: String] = [:]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LOA_") }.merging(environment) { $1 }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, &actions, nil, argv, env)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
    }

    /// A long-running `loa-controller`, stdout and stderr to files.
    static func spawnDaemon(_ arguments: [String], stdout: String, stderr: String, environment: [String: String] = [:]) throws -> pid_t {
        try spawn(built("loa-controller"), arguments, stdout: stdout, stderr: stderr, environment: environment)
    }

    /// Waits (polling, without blocking a thread) for the spawned child to exit; true if it did.
    static func waitForExit(_ pid: pid_t, seconds: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
