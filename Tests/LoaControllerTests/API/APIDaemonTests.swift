import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `loa-controller` process serves the HTTP API on the port it picked, keeps a login
/// across a restart, and stops both servers on SIGTERM.
@Suite(.serialized) struct APIDaemonTests {
    static func start(_ dir: ScratchDirectory, run: Int) async throws -> (pid: pid_t, port: Int) {
        let config = dir.path("controller.toml")
        try """
            [gateways]
            listen_host = "127.0.0.1"
            listen_port = 0
            [http]
            listen = "127.0.0.1:0"
            [state]
            directory = "\(dir.path("state"))"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let err = dir.path("err-\(run)")
        let pid = try Tool.spawnDaemon(["--config", config], stdout: dir.path("out-\(run)"), stderr: err,
                                       environment: ["LOA_ADMIN_PASSWORD": "daemon test password"])
        var port: Int?
        _ = await eventually(seconds: 90) {
            let log = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
            guard let line = log.split(separator: "\n").first(where: { $0.contains("listening for HTTP") }),
                  let range = line.range(of: "listen.port=") else { return false }
            port = Int(line[range.upperBound...].prefix { $0.isNumber })
            return true
        }
        guard let port else {
            kill(pid, SIGKILL)
            _ = await Tool.waitForExit(pid)
            throw TestFailure("no 'listening for HTTP' line: \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
        }
        return (pid, port)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func request(_ port: Int, _ method: String, _ path: String, token: String? = nil, json: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: 20)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? -1, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    static func loginAndCreateArea(_ port: Int) async throws -> String {
        let (health, body) = try await request(port, "GET", "/healthz")
        #expect(health == 200 && body["status"] as? String == "ok")
        let (status, login) = try await request(port, "POST", "/api/v1/login", json: #"{"username":"admin","password":"daemon test password"}"#)
        #expect(status == 200)
        let token = try #require(login["token"] as? String)
        let (created, _) = try await request(port, "POST", "/api/v1/areas", token: token,
                                             json: #"{"id":"ha-tinh","name":"Hà Tĩnh","kind":"province"}"#)
        #expect(created == 201)
        return token
    }

    @Test func daemonServesTheAPIKeepsTokensAcrossARestartAndDrainsOnSIGTERM() async throws {
        let dir = try ScratchDirectory("loa-api-daemon")
        defer { dir.cleanup() }
        let first = try await Self.start(dir, run: 1)
        var token = ""
        do {
            token = try await Self.loginAndCreateArea(first.port)
        } catch {
            kill(first.pid, SIGKILL)
            _ = await Tool.waitForExit(first.pid)
            throw error
        }
        kill(first.pid, SIGTERM)
        #expect(await Tool.waitForExit(first.pid, seconds: 60))
        let log = (try? String(contentsOfFile: dir.path("err-1"), encoding: .utf8)) ?? ""
        #expect(log.contains("HTTP server stopped") && log.contains("gateway server stopped"), "\(log)")

        let second = try await Self.start(dir, run: 2)
        do {
            let (me, user) = try await Self.request(second.port, "GET", "/api/v1/me", token: token)
            #expect(me == 200 && user["username"] as? String == "admin", "the token outlives the restart")
            let (area, _) = try await Self.request(second.port, "GET", "/api/v1/areas/ha-tinh", token: token)
            #expect(area == 200)
        } catch {
            kill(second.pid, SIGKILL)
            _ = await Tool.waitForExit(second.pid)
            throw error
        }
        kill(second.pid, SIGTERM)
        #expect(await Tool.waitForExit(second.pid, seconds: 60))
    }
}
