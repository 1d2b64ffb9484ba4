import Foundation
import LoaService
import Testing
@testable import LoaGateway

/// The TOML reader, the environment overrides and the validation, each error naming its key.
@Suite struct GatewayConfigurationTests {
    static let minimal = """
        [gateway]
        id = "xa-tan-lap-01"
        secret = "correct horse battery staple"

        [controller]
        hosts = ["loa.example.vn:7443", "10.0.0.2:7443"]
        """

    @Test func minimalFileLoadsWithDefaults() throws {
        var config = try GatewayConfiguration.parse(toml: Self.minimal)
        try config.validate()
        #expect(config.gateway.id == "xa-tan-lap-01")
        #expect(config.controllerAddresses.map(\.description) == ["loa.example.vn:7443", "10.0.0.2:7443"])
        #expect(config.audio.pcm == "default")
        #expect(config.amplifier.mode == "none")
        #expect(try config.secretBytes() == Array("correct horse battery staple".utf8))
        config.amplifier.preRollMs = 1_500
        // No amplifier to switch: nothing warms up, sound starts at its time.
        #expect(config.playout.amplifierPreRollMs == 0)
        config.amplifier.mode = "command"
        #expect(config.playout.amplifierPreRollMs == 1_500)
        #expect(config.audio.liveFallbackMs == 5_000)
        #expect(config.playout.liveFallbackGraceMs == 5_000)
    }

    @Test func liveFallbackIsReadValidatedAndOverridden() throws {
        var config = try GatewayConfiguration.parse(toml: Self.minimal + "\n[audio]\nlive_fallback_ms = 1500\n")
        try config.validate()
        #expect(config.playout.liveFallbackGraceMs == 1_500)
        try config.applyEnvironment(["LOA_AUDIO_LIVE_FALLBACK_MS": "0"])
        #expect(config.playout.liveFallbackGraceMs == 0)
        #expect {
            try GatewayConfiguration.parse(toml: Self.minimal + "\n[audio]\nlive_fallback_ms = \"5s\"\n", source: "gw.toml")
        } throws: { error in
            guard case .wrongType(let key, _, _, _, let line) = error as? ConfigurationError else { return false }
            return key == "audio.live_fallback_ms" && line == 8 && "\(error)".contains("gw.toml:8")
        }
        config.audio.liveFallbackMs = 90_000
        #expect { try config.validate() } throws: { error in
            (error as? ConfigurationError)?.key == "audio.live_fallback_ms" && "\(error)".contains("0–60000")
        }
    }

    @Test func simulatedSkewIsOffByDefaultAndReadAsANumber() throws {
        #expect(try GatewayConfiguration.parse(toml: Self.minimal).audio.simulatedSkewPpm == 0)
        var config = try GatewayConfiguration.parse(toml: Self.minimal + "\n[audio]\nsimulated_skew_ppm = -100\n")
        try config.validate()
        #expect(config.audio.simulatedSkewPpm == -100)
        try config.applyEnvironment(["LOA_GW_AUDIO_SIMULATED_SKEW_PPM": "99.5"])
        #expect(config.audio.simulatedSkewPpm == 99.5)
    }

    @Test func wrongTypeNamesTheKeyAndLine() {
        let text = Self.minimal + "\n[audio]\nlatency_ms = \"fast\"\n"
        #expect {
            try GatewayConfiguration.parse(toml: text, source: "gw.toml")
        } throws: { error in
            guard case .wrongType(let key, _, _, _, let line) = error as? ConfigurationError else { return false }
            return key == "audio.latency_ms" && line == 8 && "\(error)".contains("gw.toml:8")
        }
    }

    @Test func unknownKeyIsAnError() {
        let text = Self.minimal + "\n[amplifier]\npreroll_ms = 100\n"
        #expect {
            try GatewayConfiguration.parse(toml: text, source: "gw.toml")
        } throws: { error in
            (error as? ConfigurationError)?.key == "amplifier.preroll_ms" && "\(error)".contains("unknown key")
        }
    }

    @Test func unknownSectionIsAnError() {
        #expect(throws: ConfigurationError.unknownKey("speakers", source: "configuration", line: 1, reference: "docs/CONFIG-gateway.md")) {
            try GatewayConfiguration.parse(toml: "[speakers]\nx = 1\n")
        }
    }

    @Test func missingIdIsNamed() throws {
        let config = try GatewayConfiguration.parse(toml: Self.minimal.replacingOccurrences(of: "id = \"xa-tan-lap-01\"\n", with: ""))
        #expect { try config.validate() } throws: { error in
            (error as? ConfigurationError)?.key == "gateway.id" && "\(error)".contains("missing")
        }
    }

    /// Table-driven: each bad value and the key its error must name.
    @Test(arguments: [
        ("[controller]\nhosts = [\"no-port\"]", "controller.hosts"),
        ("[controller]\nhosts = [1, 2]", "controller.hosts"),
        ("[amplifier]\nmode = \"relay\"", "amplifier.mode"),
        ("[amplifier]\nmode = \"command\"\non_command = \"x\"", "amplifier.off_command"),
        ("[gateway]\nlog_level = \"loud\"", "gateway.log_level"),
        ("[cache]\nquota_mb = 1", "cache.quota_mb"),
        ("[health]\ninterval_seconds = 1", "health.interval_seconds"),
        ("[audio]\nalsa_config_file = \"/nonexistent/asound.conf\"", "audio.alsa_config_file"),
        ("[audio]\nlive_fallback_ms = 60001", "audio.live_fallback_ms"),
        ("[audio]\nlive_fallback_ms = -1", "audio.live_fallback_ms"),
        ("[audio]\nsimulated_skew_ppm = 1000.5", "audio.simulated_skew_ppm"),
        ("[audio]\nsimulated_skew_ppm = -2000", "audio.simulated_skew_ppm"),
    ])
    func badValuesNameTheirKey(snippet: String, key: String) {
        // Merge the snippet's section into the minimal file (TOML forbids repeating a table).
        var text = Self.minimal
        let section = String(snippet.prefix { $0 != "\n" })
        let body = String(snippet.drop { $0 != "\n" })
        if text.contains(section) {
            text = text.replacingOccurrences(of: section, with: section + body)
            if key == "controller.hosts" { text = text.replacingOccurrences(of: "hosts = [\"loa.example.vn:7443\", \"10.0.0.2:7443\"]", with: "") }
        } else {
            text += "\n" + snippet + "\n"
        }
        #expect {
            try GatewayConfiguration.parse(toml: text).validate()
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func environmentOverridesTheFile() throws {
        var config = try GatewayConfiguration.parse(toml: Self.minimal)
        try config.applyEnvironment([
            "LOA_GATEWAY_ID": "xa-khac-02", "LOA_CONTROLLER": "127.0.0.1:9000, 127.0.0.2:9000",
            "LOA_AMPLIFIER_PRE_ROLL_MS": "750", "LOA_CONTROLLER_TLS": "no", "LOA_CONTROLLER_GATEWAYS_LISTEN_PORT": "1",
        ])
        #expect(config.gateway.id == "xa-khac-02")
        #expect(config.controller.hosts == ["127.0.0.1:9000", "127.0.0.2:9000"])
        #expect(config.amplifier.preRollMs == 750)
        #expect(config.controller.tls == false)
        #expect(throws: ConfigurationError.self) { try config.applyEnvironment(["LOA_AUDIO_LATENCY_MS": "soon"]) }
    }

    @Test func newNamesAreCheckedAndWinOverOldOnes() throws {
        var config = try GatewayConfiguration.parse(toml: Self.minimal)
        let environment = ["LOA_GW_GATEWAY_ID": "xa-moi-01", "LOA_GATEWAY_ID": "xa-cu-01",
                           "LOA_CONTROLLER": "http://127.0.0.1:8080", "LOA_CTL_HTTP_LISTEN": "127.0.0.1:1"]
        try config.applyEnvironment(environment)
        #expect(config.gateway.id == "xa-moi-01")
        #expect(config.controller.hosts == (try GatewayConfiguration.parse(toml: Self.minimal)).controller.hosts,
                "LOA_CONTROLLER holding a URL is loactl's, not a host list")
        #expect(GatewayConfiguration.deprecatedVariables(in: ["LOA_GATEWAY_ID": "x", "LOA_CONTROLLER": "a:1"]).map(\.new)
            == ["LOA_GW_CONTROLLER_HOSTS", "LOA_GW_GATEWAY_ID"])
        #expect(throws: ConfigurationError.self) { try config.applyEnvironment(["LOA_GW_GATEWAY_IDD": "x"]) }
    }

    @Test func syntaxErrorsCarryALine() {
        #expect { try GatewayConfiguration.parse(toml: "[gateway]\nid = \n", source: "bad.toml") } throws: { error in
            guard case .syntax(_, let line, _, _) = error as? ConfigurationError else { return false }
            return line == 2
        }
    }

    /// The sample shipped in Deploy/ parses (its secret file only exists on a gateway).
    @Test func deploySampleParses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Deploy/loa-gateway.toml").standardized.path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let config = try GatewayConfiguration.parse(toml: text, source: path)
        #expect(!config.gateway.id.isEmpty)
        #expect(!config.controller.hosts.isEmpty)
    }
}
