import Foundation
import LoaProtocol
import NIOPosix
import Testing

/// `loa-controller` as an operator runs it: admin subcommands on a fresh state directory, then the
/// daemon serving a gateway and draining on SIGTERM.
@Suite(.serialized) struct ControllerProcessTests {
    static func config(_ dir: ScratchDirectory, port: Int) throws -> String {
        let path = dir.path("controller.toml")
        try """
            [gateways]
            listen_host = "127.0.0.1"
            listen_port = \(port)
            schedule_recheck_seconds = 1
            [http]
            listen = "127.0.0.1:0"
            [state]
            directory = "\(dir.path("state"))"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func admin(_ config: String, _ arguments: String...) throws -> Tool.Run {
        try Tool.run(["admin"] + arguments + ["--config", config])
    }

    /// The recovery path on the controller machine: list users, refuse to demote the last
    /// admin, add an admin, reset a password (printed once).
    @Test func adminUserCommandsRecoverAnAdmin() throws {
        let dir = try ScratchDirectory("loa-admin-user")
        defer { dir.cleanup() }
        let config = try Self.config(dir, port: Int.random(in: 20_000..<40_000))
        #expect(try Self.admin(config, "area", "add", "ha-tinh", "--kind", "province").status == 0)
        let list = try Self.admin(config, "user", "list")
        #expect(list.status == 0 && list.stdout.contains("admin\tadmin\t(whole system)"), "\(list.stdout) \(list.stderr)")
        let demote = try Self.admin(config, "user", "set-role", "admin", "broadcaster", "--area", "ha-tinh")
        #expect(demote.status != 0 && demote.stderr.contains("last system-wide admin"), "\(demote.stderr)")
        let noArea = try Self.admin(config, "user", "add", "bt-tan-lap", "--role", "broadcaster")
        #expect(noArea.status != 0 && noArea.stderr.contains("needs an area"), "\(noArea.stderr)")
        let forged = try Self.admin(config, "user", "add", "x\ncritical FORGED", "--role", "operator")
        #expect(forged.status != 0 && !forged.stderr.contains("\ncritical"), "\(forged.stderr)")
        let rescue = try Self.admin(config, "user", "add", "rescue", "--role", "admin")
        #expect(rescue.status == 0 && rescue.stdout.contains("password (shown once): "), "\(rescue.stdout) \(rescue.stderr)")
        #expect(try Self.admin(config, "user", "set-role", "admin", "operator").status == 0)
        let reset = try Self.admin(config, "user", "set-password", "admin")
        let password = reset.stdout.components(separatedBy: "password (shown once): ").last?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(reset.status == 0 && password?.count == 20, "\(reset.stdout)")
        let after = try Self.admin(config, "user", "list")
        #expect(after.stdout.contains("admin\toperator") && after.stdout.contains("rescue\tadmin"), "\(after.stdout)")
    }

    @Test func adminSubcommandsThenTheDaemonServesAndDrains() async throws {
        let dir = try ScratchDirectory("loa-daemon")
        defer { dir.cleanup() }
        let port = Int.random(in: 20_000..<40_000)
        let config = try Self.config(dir, port: port)
        try Data(TestAudio.wav(seconds: 1.5)).write(to: dir.url.appendingPathComponent("ban-tin.wav"))
        try Data("không phải âm thanh".utf8).write(to: dir.url.appendingPathComponent("notes.wav"))

        let first = try Self.admin(config, "area", "add", "ha-tinh", "--kind", "province", "--name", "Hà Tĩnh")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("user 'admin' has password"), "the first start prints the admin password once: \(first.stdout)")
        #expect(try Self.admin(config, "area", "add", "xa-tan-lap", "--kind", "commune", "--parent", "ha-tinh").status == 0)
        let gateway = try Self.admin(config, "gateway", "add", "xa-tan-lap-01", "--area", "xa-tan-lap")
        #expect(gateway.status == 0, "\(gateway.stderr)")
        let secretText = try #require(gateway.stdout.split(separator: "\n").last?.split(separator: " ").last)
        #expect(Data(base64Encoded: String(secretText))?.count == 32)
        // What an installer puts in the gateway's `secret`; its UTF-8 bytes key the handshake.
        let secret = Array(secretText.utf8)
        let refused = try Self.admin(config, "bulletin", "add", dir.path("notes.wav"), "--title", "x")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("not a WAV or MP3"), "\(refused.stderr)")
        let bulletin = try Self.admin(config, "bulletin", "add", dir.path("ban-tin.wav"), "--title", "Bản tin", "--approve")
        #expect(bulletin.status == 0, "\(bulletin.stderr)")
        let sha = String(bulletin.stdout.prefix(64))
        #expect(bulletin.stdout.contains("approved 1500 ms"), "\(bulletin.stdout)")
        let rule = try Self.admin(config, "schedule", "add", "--bulletin", sha, "--area", "xa-tan-lap", "--daily", "--at", "06:30")
        #expect(rule.status == 0, "\(rule.stderr)")
        let bad = try Self.admin(config, "schedule", "add", "--bulletin", sha, "--area", "xa-tan-lap", "--at", "25:00", "--daily")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--at takes HH:MM or HH:MM:SS (00:00 to 23:59:59)"), "the API's parser: \(bad.stderr)")

        // The daemon, spawned directly so the test holds only its pid (see Tool.spawnDaemon).
        let pid = try Tool.spawnDaemon(["--config", config], stdout: dir.path("out"), stderr: dir.path("err"))
        defer { kill(pid, SIGKILL) }
        // Generous: the whole suite runs in parallel on two shared cores; it returns as soon as the line is there.
        let listening = await eventually(seconds: 90) { ((try? String(contentsOfFile: dir.path("err"), encoding: .utf8)) ?? "").contains("listening for gateways") }
        #expect(listening, "\((try? String(contentsOfFile: dir.path("err"), encoding: .utf8)) ?? "")")
        let out = (try? String(contentsOfFile: dir.path("out"), encoding: .utf8)) ?? ""
        #expect(!out.contains("has password"), "only the first start prints it: \(out)")

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = EventLog()
        let channel = try await FakeGateway.connect(port: port, gatewayID: "xa-tan-lap-01", secret: secret, log: log, group: group)
        #expect(await log.wait(prefix: "schedule v") != nil, "\(log.all)")
        #expect(await log.wait(prefix: "content verified \(sha)") != nil, "\(log.all)")

        // A change made by another process reaches the connected gateway through the recheck.
        #expect(try Self.admin(config, "schedule", "add", "--bulletin", sha, "--gateway", "xa-tan-lap-01", "--once", "2026-12-24",
                               "--at", "19:00:00").status == 0)
        #expect(await log.wait { $0.hasPrefix("schedule v") && $0.hasSuffix("entries 2") } != nil, "\(log.all)")

        kill(pid, SIGHUP)
        #expect(await eventually { ((try? String(contentsOfFile: dir.path("err"), encoding: .utf8)) ?? "").contains("SIGHUP") })
        #expect(!log.all.contains("inactive"), "SIGHUP (systemd reload) does not stop the daemon")
        kill(pid, SIGTERM)
        #expect(await log.wait(prefix: "inactive") != nil, "\(log.all)")
        #expect(log.all.contains { $0.contains("21") }, "the gateway is told the controller is shutting down: \(log.all)")
        #expect(await Tool.waitForExit(pid), "the daemon exits after SIGTERM")
        let err = (try? String(contentsOfFile: dir.path("err"), encoding: .utf8)) ?? ""
        #expect(err.contains("stopped"), "\(err)")
        _ = channel
        try await group.shutdownGracefully()

        let log2 = try Self.admin(config, "log")
        #expect(log2.status == 0, "\(log2.stderr)")
    }
}
