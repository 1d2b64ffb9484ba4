import Foundation

/// The configuration file of a real `loa-gateway` under test against a controller peer on
/// 127.0.0.1: a `type file` PCM, the amplifier as a GPIO value file, fast reconnects. The
/// loopback suites differ only in the values here.
struct LoopbackGatewayConfig {
    var gatewayID: String
    var secret: String
    var hosts: [String]
    /// The ALSA configuration text that defines the PCM `loafile`.
    var alsaConfig: String
    var stateDirectory: String
    var amplifierFile: String
    var preRollMs = 200
    /// nil: the daemon's default level.
    var logLevel: String? = "debug"
    /// nil: the default grace.
    var liveFallbackMs: Int?
    /// nil: no `[health]` section (the default interval).
    var healthSeconds: Int? = 60
    /// "" = no control socket.
    var controlSocket = ""

    var text: String {
        var lines = [
            "[gateway]",
            "id = \"\(gatewayID)\"",
            "secret = \"\(secret)\"",
            "state_directory = \"\(stateDirectory)\"",
        ]
        if let logLevel { lines.append("log_level = \"\(logLevel)\"") }
        lines += [
            "",
            "[controller]",
            "hosts = [\(hosts.map { "\"\($0)\"" }.joined(separator: ", "))]",
            "reconnect_base_ms = 200",
            "reconnect_cap_seconds = 1",
            "",
            "[audio]",
            "pcm = \"loafile\"",
            "alsa_config = '''\(alsaConfig)'''",
        ]
        if let liveFallbackMs { lines.append("live_fallback_ms = \(liveFallbackMs)") }
        lines += [
            "",
            "[amplifier]",
            "mode = \"gpio\"",
            "gpio_value_file = \"\(amplifierFile)\"",
            "pre_roll_ms = \(preRollMs)",
            "idle_off_seconds = 60",
        ]
        if let healthSeconds { lines += ["", "[health]", "interval_seconds = \(healthSeconds)"] }
        lines += ["", "[control]", "socket = \"\(controlSocket)\""]
        if !controlSocket.isEmpty { lines.append("group = \"\"") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the file; returns its path.
    func write(to path: String) throws -> String {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
