import Foundation
import LoaService
import Testing
@testable import LoaController

@Suite struct ConfigurationTests {
    static let sampleFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Deploy/loa-controller.toml").path

    @Test func defaultsAreValidAndMatchTheDocumentedSample() throws {
        try ControllerConfiguration().validate()
        let sample = try ControllerConfiguration.load(path: Self.sampleFile, environment: [:])
        #expect(sample == ControllerConfiguration())
        #expect(sample.gateways.listenPort == 7420)
        #expect(sample.audio.sampleRate == 24_000 && sample.audio.channels == 1 && sample.audio.bitrateKbps == 48)
        #expect(sample.databasePath == "/var/lib/loa-controller/controller.sqlite")
    }

    @Test func everyKeyIsDocumented() throws {
        let doc = try String(contentsOfFile: Self.sampleFile.replacingOccurrences(of: "Deploy/loa-controller.toml",
                                                                                 with: "docs/CONFIG-controller.md"), encoding: .utf8)
        for key in ControllerConfiguration.schema.keys { #expect(doc.contains("`\(key.name)`"), "\(key.name) missing from CONFIG-controller.md") }
    }

    @Test func fileValuesAreRead() throws {
        let c = try ControllerConfiguration.parse(toml: """
            [gateways]
            listen_host = "127.0.0.1"
            listen_port = 0
            [state]
            directory = "/tmp/loa"
            [audio]
            loudness_target_lufs = -18
            [bulletins]
            approval_required = false
            [live]
            relay_stall_timeout_seconds = 5
            relay_reconnect_seconds = 0
            relay_silence_dbfs = -60
            relay_silence_seconds = 12
            relay_end_on_silence = true
            """)
        #expect(c.gateways.listenHost == "127.0.0.1" && c.gateways.listenPort == 0)
        let live = LiveSettings(c)
        #expect(live.relayStallTimeout == .seconds(5) && live.relayReconnectFor == .zero)
        #expect(live.relaySilenceDBFS == -60 && live.relaySilenceAfter == .seconds(12) && live.relayEndsOnSilence)
        #expect(c.audio.loudnessTargetLUFS == -18)
        #expect(!c.bulletins.approvalRequired)
        #expect(c.keyFilePath == "/tmp/loa/secrets.key")
        try c.validate()
    }

    /// Each bad file is refused with an error naming the key (or the line).
    @Test(arguments: [
        ("[gateways]\nlisten_prot = 1", "test.toml:2: unknown key 'gateways.listen_prot'"),
        ("[gateway]\nlisten_port = 1", "test.toml:1: unknown key 'gateway'"),   // a whole unknown section is named, as the gateway does
        ("listen_port = 1", "'listen_port'"),
        ("[gateways]\nlisten_port = \"7420\"", "test.toml:2: 'gateways.listen_port' must be an integer"),
        ("[gateways]\nlisten_port = 70000", "'gateways.listen_port' = 70000"),
        ("[gateways]\nheartbeat_seconds = 1", "'gateways.heartbeat_seconds'"),
        ("[gateways]\nheartbeat_seconds = 400\noffline_after_seconds = 600", "'gateways.offline_after_seconds' = 600"),
        ("[gateways]\ntls_certificate = \"/etc/hostname\"", "tls_private_key"),
        ("[gateways]\ntls_certificate = \"/nope.pem\"\ntls_private_key = \"/nope.key\"", "'gateways.tls_certificate' = /nope.pem"),
        ("[audio]\nsample_rate = 23000", "'audio.sample_rate'"),
        ("[audio]\nbitrate_kbps = 47", "'audio.bitrate_kbps'"),
        ("[audio]\nloudness_target_lufs = 3", "'audio.loudness_target_lufs'"),
        ("[bulletins]\napproval_required = \"no\"", "'bulletins.approval_required' must be true or false"),
        ("[bulletins]\ntime_zone = \"Mars/Base\"", "'bulletins.time_zone'"),
        ("[log]\nlevel = \"loud\"", "'log.level'"),
        ("[live]\nrelay_stall_timeout_seconds = 0", "'live.relay_stall_timeout_seconds' = 0"),
        ("[live]\nrelay_reconnect_seconds = -1", "'live.relay_reconnect_seconds'"),
        ("[live]\nrelay_silence_dbfs = 3", "'live.relay_silence_dbfs' = 3"),
        ("[live]\nrelay_silence_seconds = 7200", "'live.relay_silence_seconds'"),
        ("[live]\nrelay_end_on_silence = 1", "'live.relay_end_on_silence' must be true or false"),
        ("[gateways\nlisten_port = 1", "not valid TOML"),
        ("[upstream]\nurl = \"http://127.0.0.1:1\"", "'link.identity'"),
        ("[link]\nidentity = \"tinh\"\n[upstream]\nurl = \"ftp://x\"", "'upstream.url'"),
        ("[link]\nidentity = \"tinh\"\n[upstream]\nurl = \"http://x:1\"\nname = \"tinh\"", "'upstream.key'"),
        ("[link]\nidentity = \"tinh\"\n[upstream]\nurl = \"http://x:1\"\nname = \"tinh\"\nkey = \"0123456789abcdef\"\narea_map = [\"a\"]", "'upstream.area_map'"),
        ("[link]\nidentity = \"tu\"\ndownstreams = [\"tinh key:short c-tinh\"]", "'link.downstreams'"),
        ("[upstream]\nurl_typo = \"x\"", "upstream.url_typo"),
    ])
    func badFilesNameTheKey(toml: String, expected: String) {
        do {
            var c = try ControllerConfiguration.parse(toml: toml, source: "test.toml")
            c.state.directory = "/tmp"
            try c.validate()
            Issue.record("accepted: \(toml)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func environmentOverridesTheFile() throws {
        var c = try ControllerConfiguration.parse(toml: "[gateways]\nlisten_port = 7420")
        try c.applyEnvironment(["LOA_CONTROLLER_GATEWAYS_LISTEN_PORT": "7421", "LOA_CONTROLLER_BULLETINS_APPROVAL_REQUIRED": "false",
                                "LOA_CONTROLLER_AUDIO_LOUDNESS_TARGET_LUFS": "-20.5", "PATH": "/bin", "LOA_ADMIN_PASSWORD": "x"])
        #expect(c.gateways.listenPort == 7421)
        #expect(!c.bulletins.approvalRequired)
        #expect(c.audio.loudnessTargetLUFS == -20.5)
    }

    @Test func newNamesWinOverOldOnesAndOldOnesAreListedForAWarning() throws {
        var c = ControllerConfiguration()
        let environment = ["LOA_CTL_HTTP_LISTEN": "127.0.0.1:9001", "LOA_CONTROLLER_HTTP_LISTEN": "127.0.0.1:9002",
                           "LOA_CONTROLLER_LOG_LEVEL": "debug"]
        try c.applyEnvironment(environment)
        #expect(c.http.listen == "127.0.0.1:9001")
        #expect(c.log.level == "debug")
        let deprecated = ControllerConfiguration.deprecatedVariables(in: environment)
        #expect(deprecated.map(\.old) == ["LOA_CONTROLLER_HTTP_LISTEN", "LOA_CONTROLLER_LOG_LEVEL"])
        #expect(deprecated.map(\.new) == ["LOA_CTL_HTTP_LISTEN", "LOA_CTL_LOG_LEVEL"])
    }

    @Test func badEnvironmentIsNamed() {
        var c = ControllerConfiguration()
        #expect(throws: ConfigurationError.unknownKey("LOA_CTL_GATEWAY_PORT", source: "environment", reference: "docs/CONFIG-controller.md")) {
            try c.applyEnvironment(["LOA_CTL_GATEWAY_PORT": "1"])
        }
        // An old-style name the controller does not know may be the gateway's (LOA_CONTROLLER_HOSTS).
        #expect(throws: Never.self) { try c.applyEnvironment(["LOA_CONTROLLER_HOSTS": "a:1", "LOA_CONTROLLER": "http://x"]) }
        do {
            try c.applyEnvironment(["LOA_CONTROLLER_GATEWAYS_LISTEN_PORT": "seven"])
            Issue.record("accepted a non-number")
        } catch {
            #expect(error.description.contains("LOA_CONTROLLER_GATEWAYS_LISTEN_PORT"))
        }
    }

    @Test func missingFileIsNamed() {
        #expect(throws: ConfigurationError.self) { try ControllerConfiguration.load(path: "/nonexistent/loa.toml", environment: [:]) }
    }

    @Test func checkConfigCommand() throws {
        let ok = try Tool.run(["--check-config", Self.sampleFile])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains(": OK ("))
        let dir = try ScratchDirectory("loa-config")
        defer { dir.cleanup() }
        try "[gateways]\nlisten_port = 99999\n".write(toFile: dir.path("bad.toml"), atomically: true, encoding: .utf8)
        let bad = try Tool.run(["--check-config", dir.path("bad.toml")])
        #expect(bad.status == 78, "EX_CONFIG, as loa-gateway")
        #expect(bad.stderr.contains("gateways.listen_port"), "\(bad.stderr)")
        let env = try Tool.run(["--check-config", Self.sampleFile], environment: ["LOA_CTL_LOG_LEVEL": "chatty"])
        #expect(env.status == 78)
        #expect(env.stderr.contains("log.level"), "\(env.stderr)")
    }
}
