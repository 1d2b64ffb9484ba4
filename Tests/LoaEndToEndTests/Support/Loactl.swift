import Foundation

/// The built `loactl`, run to completion as a person runs it, against one controller, with its
/// own session directory.
struct Loactl: Sendable {
    struct Run: Sendable, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "loactl \(arguments.joined(separator: " ")) → \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    let scratch: Scratch
    let controller: String
    let configDirectory: String

    /// `home`: the session directory's name, for a second user's loactl beside the admin's.
    init(scratch: Scratch, controller: String, home: String = "loactl") {
        self.scratch = scratch
        self.controller = controller
        configDirectory = scratch.file(home)
    }

    /// Runs `loactl ARGS`; `stdin` text is given on standard input.
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> Run {
        let name = "loactl-\(UUID().uuidString.prefix(8))"
        var input = "/dev/null"
        if let stdin { input = try scratch.write(stdin, to: name + ".in") }
        let child = try ChildProcess(Built.path("loactl"), arguments,
                                     environment: ["LOA_CONFIG_DIR": configDirectory, "LOA_CONTROLLER": controller].merging(environment) { $1 },
                                     stdin: input, stdout: scratch.file(name + ".out"), stderr: scratch.file(name + ".err"))
        guard let status = await child.waitForExit(seconds: 180) else {
            await child.stop(SIGKILL)
            throw HarnessError("loactl \(arguments.joined(separator: " ")) did not finish in 180 s")
        }
        return Run(arguments: arguments, status: status, stdout: child.stdout, stderr: child.stderr)
    }

    /// Runs and insists on success.
    @discardableResult
    func ok(_ arguments: String..., stdin: String? = nil) async throws -> Run {
        let run = try await run(arguments, stdin: stdin)
        guard run.status == 0 else { throw HarnessError("\(run)") }
        return run
    }

    /// Runs with `--json` and parses the answer.
    func json(_ arguments: String...) async throws -> Any { try await json(arguments) }

    func json(_ arguments: [String]) async throws -> Any {
        let run = try await run(arguments + ["--json"])
        guard run.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8), options: [.fragmentsAllowed]) else {
            throw HarnessError("\(run)")
        }
        return object
    }
}
