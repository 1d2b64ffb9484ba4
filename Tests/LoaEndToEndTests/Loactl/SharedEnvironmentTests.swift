import Foundation
import Testing

/// Issue 12: the gateway's `[controller]` keys became `LOA_CONTROLLER_HOSTS` …, which the
/// controller refused as unknown keys of its own, and `LOA_CONTROLLER` was loactl's URL but the
/// gateway's host list. Now each daemon has its own prefix and one environment holds all three.
@Suite struct SharedEnvironmentTests {
    @Test func oneEnvironmentHoldsTheGatewaysTheControllersAndLoactlsVariables() async throws {
        let scratch = try Scratch("shared-env")
        defer { scratch.remove() }
        let gatewayConfig = try scratch.write("""
            [gateway]
            secret = "correct horse battery staple"
            state_directory = "\(scratch.file("gw-state"))"
            [controller]
            hosts = ["127.0.0.1:7420"]
            """, to: "gateway.toml")
        let controllerConfig = try scratch.write("[state]\ndirectory = \"\(scratch.file("ctl-state"))\"\n", to: "controller.toml")
        let environment = [
            "LOA_GW_GATEWAY_ID": "xa-chung-01", "LOA_GW_CONTROLLER_TLS": "false",
            "LOA_CTL_LOG_LEVEL": "warning", "LOA_CTL_GATEWAYS_LISTEN_PORT": "7421",
            "LOA_CONTROLLER": "http://127.0.0.1:8080",          // loactl's controller URL
            "LOA_CONTROLLER_HOSTS": "127.0.0.1:7420",           // the gateway's old name for controller.hosts
        ]
        for (name, config, expected) in [("loa-gateway", gatewayConfig, "xa-chung-01"), ("loa-controller", controllerConfig, ":7421")] {
            let process = try ChildProcess(Built.path(name), ["--check-config", config], environment: environment,
                                           stdout: scratch.file("\(name).out"), stderr: scratch.file("\(name).err"))
            let status = await process.waitForExit(seconds: 20)
            let out = (try? String(contentsOfFile: scratch.file("\(name).out"), encoding: .utf8)) ?? ""
            let err = (try? String(contentsOfFile: scratch.file("\(name).err"), encoding: .utf8)) ?? ""
            #expect(status == 0, "\(name): \(err)")
            #expect(out.contains(expected), "\(name): \(out)")
        }
        // A misspelt new-style name is refused by its daemon, with the same status from both.
        for (name, config, variable) in [("loa-gateway", gatewayConfig, "LOA_GW_GATEWAY_IDD"), ("loa-controller", controllerConfig, "LOA_CTL_LOG_LEVL")] {
            let process = try ChildProcess(Built.path(name), ["--check-config", config], environment: environment.merging([variable: "x"]) { $1 },
                                           stdout: scratch.file("\(name).bad.out"), stderr: scratch.file("\(name).bad.err"))
            let status = await process.waitForExit(seconds: 20)
            let err = (try? String(contentsOfFile: scratch.file("\(name).bad.err"), encoding: .utf8)) ?? ""
            #expect(status == 78, "\(name): \(err)")
            #expect(err.contains(variable), "\(name): \(err)")
        }
    }

    /// Both daemons refuse a bad file the same way: status 78, the file, the line and the key.
    @Test func bothDaemonsNameTheFileLineAndKeyOfABadConfiguration() async throws {
        let scratch = try Scratch("bad-config")
        defer { scratch.remove() }
        let files = [
            ("loa-gateway", try scratch.write("[gateway]\nid = \"xa-01\"\nsecrte = \"x\"\n", to: "gateway.toml"), "gateway.secrte"),
            ("loa-controller", try scratch.write("[gateways]\nlisten_port = 7420\nlisten_prot = 7421\n", to: "controller.toml"), "gateways.listen_prot"),
        ]
        for (name, file, key) in files {
            let process = try ChildProcess(Built.path(name), ["--check-config", file],
                                           stdout: scratch.file("\(name).out"), stderr: scratch.file("\(name).err"))
            let status = await process.waitForExit(seconds: 20)
            let err = (try? String(contentsOfFile: scratch.file("\(name).err"), encoding: .utf8)) ?? ""
            #expect(status == 78, "\(name): \(err)")
            #expect(err.contains("\(file):3") && err.contains(key), "\(name): \(err)")
        }
    }
}
