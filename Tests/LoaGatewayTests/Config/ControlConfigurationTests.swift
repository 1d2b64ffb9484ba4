import Foundation
import LoaService
import Testing
@testable import LoaGateway

/// `[control]`: the socket path and group, their defaults, overrides and bad values.
struct ControlConfigurationTests {
    @Test func defaultsOverridesAndBadValues() throws {
        var config = try GatewayConfiguration.parse(toml: GatewayConfigurationTests.minimal)
        #expect(config.control.socket == "/run/loa-gateway/control.sock" && config.control.group == "loa")
        config = try GatewayConfiguration.parse(toml: GatewayConfigurationTests.minimal + "\n[control]\nsocket = \"/tmp/x.sock\"\ngroup = \"\"\n")
        try config.validate()
        #expect(config.control.socket == "/tmp/x.sock" && config.control.group == "")
        try config.applyEnvironment(["LOA_CONTROL_SOCKET": "", "LOA_CONTROL_GROUP": "adm"])
        try config.validate()
        #expect(config.control.socket == "" && config.control.group == "adm")

        config.control.socket = "run/control.sock"
        #expect(throws: ConfigurationError.self) { try config.validate() }
        do { try config.validate() } catch { #expect("\(error)".contains("control.socket") && "\(error)".contains("absolute")) }
        config.control.socket = "/" + String(repeating: "s", count: 120)
        do { try config.validate() } catch { #expect("\(error)".contains("107 bytes")) }
        config.control.socket = "/run/loa-gateway/control.sock"
        config.control.group = "loa team"
        do { try config.validate(); Issue.record("a group with a space passed") } catch { #expect("\(error)".contains("control.group")) }
        #expect(throws: ConfigurationError.self) {
            try GatewayConfiguration.parse(toml: GatewayConfigurationTests.minimal + "\n[control]\nsockt = \"/x\"\n")
        }
    }
}
