import Foundation
import Testing
@testable import LoaGateway

/// The executable's own contract: `--check-config` exit codes, systemd readiness, SIGTERM.
@Suite(.serialized, .enabled(if: GatewayProcess.path != nil, "skipped: loa-gateway is not built next to the test bundle"))
struct GatewayProcessTests {
    func config(_ directory: TemporaryDirectory, extra: String = "") throws -> String {
        let path = directory.file("gateway.toml")
        try """
            [gateway]
            id = "xa-thu-nghiem-02"
            secret = "s3cret"
            state_directory = "\(directory.file("state"))"

            [controller]
            hosts = ["127.0.0.1:9"]
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func checkConfigExitsZeroOrOneNamingTheKey() throws {
        let executable = try #require(GatewayProcess.path)
        let directory = TemporaryDirectory("gw-check")
        let good = try GatewayProcess(executable: executable, arguments: ["--check-config", try config(directory)],
                                      logPath: directory.file("good.log"))
        #expect(good.waitForExit(timeout: 10) == 0, "\(good.log)")
        let bad = try GatewayProcess(executable: executable, arguments: ["--check-config", try config(directory, extra: "retries = 3")],
                                     logPath: directory.file("bad.log"))
        #expect(bad.waitForExit(timeout: 10) == 1)
        #expect(bad.log.contains("controller.retries"), "stderr: \(bad.log)")
        let missing = try GatewayProcess(executable: executable, arguments: ["--check-config", try config(directory)],
                                         logPath: directory.file("missing.log"), extraEnvironment: ["LOA_GATEWAY_ID": ""])
        #expect(missing.waitForExit(timeout: 10) == 1)
        #expect(missing.log.contains("gateway.id"), "stderr: \(missing.log)")
    }

    @Test func notifiesSystemdAndStopsPromptlyOnSIGTERM() throws {
        let executable = try #require(GatewayProcess.path)
        let directory = TemporaryDirectory("gw-notify")
        let socketPath = directory.file("notify.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(socketPath.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let gateway = try GatewayProcess(executable: executable, arguments: ["--config", try config(directory)],
                                         logPath: directory.file("gateway.log"), extraEnvironment: ["NOTIFY_SOCKET": socketPath])
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(fd, &buffer, buffer.count, 0)
        #expect(count > 0 && String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).contains("READY=1"), "\(gateway.log)")

        // SIGHUP with a broken file keeps the running configuration; with a good one, reloads.
        _ = try config(directory, extra: "retries = 3")
        kill(gateway.pid, SIGHUP)
        #expect(waitForLog(gateway, "configuration not reloaded"), "\(gateway.log)")
        _ = try config(directory)
        kill(gateway.pid, SIGHUP)
        #expect(waitForLog(gateway, "reloading configuration"), "\(gateway.log)")
        #expect(waitForLog(gateway, "gateway started", count: 2), "\(gateway.log)")
        #expect(gateway.waitForExit(timeout: 0.1) == nil, "the gateway exited on SIGHUP")

        let stopping = Date()
        #expect(gateway.stop(signal: SIGTERM, timeout: 5) == 0, "\(gateway.log)")
        #expect(Date().timeIntervalSince(stopping) < 1.5, "took \(Date().timeIntervalSince(stopping)) s")
    }

    func waitForLog(_ gateway: GatewayProcess, _ text: String, count: Int = 1) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if gateway.log.components(separatedBy: text).count - 1 >= count { return true }
            usleep(50_000)
        }
        return false
    }
}
