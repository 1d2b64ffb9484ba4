import Foundation
import LoaProtocol
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

            [control]
            socket = ""

            [controller]
            hosts = ["127.0.0.1:9"]
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func checkConfigExitsZeroOrEXCONFIGNamingTheKey() throws {
        let executable = try #require(GatewayProcess.path)
        let directory = TemporaryDirectory("gw-check")
        let good = try GatewayProcess(executable: executable, arguments: ["--check-config", try config(directory)],
                                      logPath: directory.file("good.log"))
        #expect(good.waitForExit(timeout: 10) == 0, "\(good.log)")
        let bad = try GatewayProcess(executable: executable, arguments: ["--check-config", try config(directory, extra: "retries = 3")],
                                     logPath: directory.file("bad.log"))
        #expect(bad.waitForExit(timeout: 10) == 78, "the controller exits the same on a bad file")
        #expect(bad.log.contains("controller.retries"), "stderr: \(bad.log)")
        let missing = try GatewayProcess(executable: executable, arguments: ["--check-config", try config(directory)],
                                         logPath: directory.file("missing.log"), extraEnvironment: ["LOA_GATEWAY_ID": ""])
        #expect(missing.waitForExit(timeout: 10) == 78)
        #expect(missing.log.contains("gateway.id"), "stderr: \(missing.log)")
    }

    @Test func notifiesSystemdAndStopsPromptlyOnSIGTERM() async throws {
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
        #expect(await waitForLog(gateway, "configuration not reloaded"), "\(gateway.log)")
        _ = try config(directory)
        kill(gateway.pid, SIGHUP)
        #expect(await waitForLog(gateway, "reloading configuration"), "\(gateway.log)")
        #expect(await waitForLog(gateway, "gateway started", count: 2), "\(gateway.log)")
        #expect(gateway.waitForExit(timeout: 0.1) == nil, "the gateway exited on SIGHUP")

        let stopping = Date()
        #expect(gateway.stop(signal: SIGTERM, timeout: 5) == 0, "\(gateway.log)")
        #expect(Date().timeIntervalSince(stopping) < 1.5, "took \(Date().timeIntervalSince(stopping)) s")
    }

    func waitForLog(_ gateway: GatewayProcess, _ text: String, count: Int = 1) async -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if gateway.log.components(separatedBy: text).count - 1 >= count { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }
}

/// The real process over TLS, trusting a self-signed CA given by `ca_file`, for a host given
/// as a name and as an IP literal (no SNI; the certificate's IP entry is checked).
@Suite(.serialized, .enabled(if: GatewayProcess.path != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
                             "skipped: loa-gateway or openssl missing"))
struct GatewayTLSTests {
    @Test(arguments: ["localhost", "127.0.0.1"])
    func sessionOverTLS(host: String) async throws {
        let executable = try #require(GatewayProcess.path)
        let directory = TemporaryDirectory("gw-tls")
        let cert = directory.file("cert.pem"), key = directory.file("key.pem")
        let status = try ShellCommand.run("""
            /usr/bin/openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '\(key)' -out '\(cert)' \
            -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
            """)
        try #require(status == 0)
        let peer = ControllerPeer(gatewayID: "xa-tls-01", secret: Array("s3cret".utf8),
                                  schedule: (1, Array(#"{"entries":[],"version":1}"#.utf8)), content: [:])
        let port = try await peer.start(tls: LoaTLSConfiguration(certificatePath: cert, privateKeyPath: key))
        let config = directory.file("gateway.toml")
        try """
            [gateway]
            id = "xa-tls-01"
            secret = "s3cret"
            state_directory = "\(directory.file("state"))"
            [controller]
            hosts = ["\(host):\(port)"]
            tls = true
            ca_file = "\(cert)"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try GatewayProcess(executable: executable, arguments: ["--config", config], logPath: directory.file("gateway.log"))
        defer { gateway.stop(signal: SIGKILL, timeout: 2) }
        let deadline = Date().addingTimeInterval(10)
        while peer.readySessions == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(peer.readySessions >= 1, "no TLS session; log:\n\(gateway.log)")
        #expect(gateway.stop(signal: SIGTERM, timeout: 5) == 0)
        await peer.stop()
    }
}
