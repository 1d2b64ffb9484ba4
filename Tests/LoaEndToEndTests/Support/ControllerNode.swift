import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `loa-controller` on 127.0.0.1 with its own state directory, gateway port and HTTP
/// port. It can be killed (-9) and started again on the same state and ports.
final class ControllerNode: @unchecked Sendable {
    static let adminPassword = "e2e-admin-Mật-khẩu-1"

    let scratch: Scratch
    let gatewayPort: Int
    let httpPort: Int
    /// The Icecast-compatible port (`live.icecast_listen`): encoders' SOURCE/PUT, HTTP/1.0 listeners.
    let icecastPort: Int
    let configPath: String
    private(set) var process: ChildProcess?
    private var starts = 0

    var url: String { "http://127.0.0.1:\(httpPort)" }

    /// `chunkBytes`: content chunk size (small makes downloads long enough to interrupt);
    /// `extra`: TOML sections appended to the configuration (the link's `[link]`, `[upstream]`).
    init(_ scratch: Scratch, chunkBytes: Int = 32_768, extra: String = "") throws {
        self.scratch = scratch
        gatewayPort = try FreePort.next()
        httpPort = try FreePort.next()
        icecastPort = try FreePort.next()
        configPath = try scratch.write("""
            [gateways]
            listen_host = "127.0.0.1"
            listen_port = \(gatewayPort)
            heartbeat_seconds = 5
            offline_after_seconds = 20
            content_chunk_bytes = \(chunkBytes)
            schedule_recheck_seconds = 1
            [http]
            listen = "127.0.0.1:\(httpPort)"
            [state]
            directory = "\(scratch.file("controller"))"
            [live]
            icecast_listen = "127.0.0.1:\(icecastPort)"
            [bulletins]
            approval_required = true
            [log]
            level = "info"
            \(extra)
            """, to: "controller.toml")
    }

    /// Appends TOML to the configuration (read at the next start): a section that names a node
    /// made after this one, such as its `[upstream]`.
    func appendConfig(_ text: String) throws {
        let old = try String(contentsOfFile: configPath, encoding: .utf8)
        try (old + "\n" + text + "\n").write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts the daemon and waits until its HTTP API answers /healthz.
    func start() async throws {
        starts += 1
        let process = try ChildProcess(Built.path("loa-controller"), ["--config", configPath],
                                       environment: ["LOA_ADMIN_PASSWORD": Self.adminPassword],
                                       stdout: scratch.file("controller-\(starts).out"), stderr: scratch.file("controller-\(starts).log"))
        self.process = process
        let up = await eventually(120, every: .milliseconds(200)) { process.isRunning ? await self.healthy() : true }
        guard up, process.isRunning else {
            throw HarnessError("loa-controller did not come up (exit \(String(describing: process.exitStatus))):\n\(process.stderr.suffix(3000))")
        }
    }

    func healthy() async -> Bool {
        guard let url = URL(string: url + "/healthz") else { return false }
        var request = URLRequest(url: url, timeoutInterval: 2)
        request.httpMethod = "GET"
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        guard let (_, response) = try? await session.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// kill -9: no drain, no goodbye to the gateways.
    func kill9() async {
        await process?.stop(SIGKILL, seconds: 10)
    }

    func stop() async {
        await process?.stop(SIGTERM, seconds: 20)
    }

    /// Every log this node wrote (all starts), for failure messages.
    var log: String {
        (1...max(1, starts)).map { (try? String(contentsOfFile: scratch.file("controller-\($0).log"), encoding: .utf8)) ?? "" }
            .joined(separator: "\n--- restart ---\n")
    }
}
