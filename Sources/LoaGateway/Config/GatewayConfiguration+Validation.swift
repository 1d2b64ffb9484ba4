#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import LoaSchedule
import LoaService
import Logging

extension GatewayConfiguration {
    /// Checks every value in one place; the error names the key and says what would be right.
    public func validate() throws(ConfigurationError) {
        func check(_ ok: Bool, _ key: String, _ value: Any, _ reason: String) throws(ConfigurationError) {
            if !ok { throw .invalid(key: key, value: "\(value)", reason: reason) }
        }
        guard !gateway.id.isEmpty else {
            throw .missing(key: "gateway.id", hint: "set the id the controller knows this gateway by, e.g. id = \"xa-tan-lap-01\" (or LOA_GW_GATEWAY_ID)")
        }
        try check(gateway.id.utf8.count <= 64 && !gateway.id.contains(where: \.isWhitespace), "gateway.id", gateway.id,
                  "at most 64 characters, no spaces")
        switch (gateway.secret, gateway.secretFile) {
        case (nil, nil):
            throw .missing(key: "gateway.secret", hint: "set secret_file (preferred) or secret to this gateway's secret")
        case (.some, .some):
            throw .invalid(key: "gateway.secret_file", value: gateway.secretFile!, reason: "set secret or secret_file, not both")
        case (nil, .some(let path)):
            try check(FileManager.default.isReadableFile(atPath: path), "gateway.secret_file", path, "no readable file there")
        case (.some, nil):
            break
        }
        try check(!gateway.stateDirectory.isEmpty, "gateway.state_directory", "\"\"", "must name a directory")
        try check(logLevel != nil, "gateway.log_level", gateway.logLevel,
                  "one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        guard !controller.hosts.isEmpty else {
            throw .missing(key: "controller.hosts", hint: "list at least one \"host:port\" (or LOA_GW_CONTROLLER_HOSTS=host:port)")
        }
        for host in controller.hosts {
            try check(ControllerAddress(host) != nil, "controller.hosts", "\"\(host)\"", "write \"host:port\", e.g. \"loa.example.vn:7443\"")
        }
        if let ca = controller.caFile {
            try check(controller.tls, "controller.ca_file", ca, "only used with tls = true")
            try check(FileManager.default.isReadableFile(atPath: ca), "controller.ca_file", ca, "no readable file there")
        }
        try check((1...300).contains(controller.handshakeTimeoutSeconds), "controller.handshake_timeout_seconds",
                  controller.handshakeTimeoutSeconds, "must be 1–300 s")
        try check((0...86_400).contains(controller.clockSyncSeconds), "controller.clock_sync_seconds",
                  controller.clockSyncSeconds, "must be 0 (off) to 86400 s")
        try check((0...60).contains(controller.clockSyncBusySeconds), "controller.clock_sync_busy_seconds",
                  controller.clockSyncBusySeconds, "must be 0 (off) to 60 s")
        try check((10...600_000).contains(controller.reconnectBaseMs), "controller.reconnect_base_ms",
                  controller.reconnectBaseMs, "must be 10–600000 ms")
        try check((1...86_400).contains(controller.reconnectCapSeconds), "controller.reconnect_cap_seconds",
                  controller.reconnectCapSeconds, "must be 1–86400 s")
        try check(!audio.pcm.isEmpty, "audio.pcm", "\"\"", "name an ALSA PCM, e.g. \"default\" or \"plughw:0,0\"")
        try check(audio.alsaConfig == nil || audio.alsaConfigFile == nil, "audio.alsa_config_file", audio.alsaConfigFile ?? "",
                  "set alsa_config or alsa_config_file, not both")
        if let file = audio.alsaConfigFile {
            try check(FileManager.default.isReadableFile(atPath: file), "audio.alsa_config_file", file, "no readable file there")
        }
        try check((20...2_000).contains(audio.latencyMs), "audio.latency_ms", audio.latencyMs, "must be 20–2000 ms")
        try check((0...60_000).contains(audio.liveFallbackMs), "audio.live_fallback_ms", audio.liveFallbackMs,
                  "must be 0–60000 ms (how long a quiet live source keeps the loudspeakers)")
        try check(audio.simulatedSkewPpm.isFinite && abs(audio.simulatedSkewPpm) <= 1_000, "audio.simulated_skew_ppm",
                  audio.simulatedSkewPpm, "must be −1000 to 1000 ppm (a test knob; 0 = a real card as it is)")
        try validateAmplifier()
        try check(cache.quotaMB >= 16, "cache.quota_mb", cache.quotaMB, "must be at least 16 MB")
        try check((10...86_400).contains(health.intervalSeconds), "health.interval_seconds", health.intervalSeconds,
                  "must be 10–86400 s; every report costs SIM data")
        if !control.socket.isEmpty {
            try check(control.socket.hasPrefix("/"), "control.socket", control.socket, "must be an absolute path (or \"\" for no socket)")
            try check(control.socket.utf8.count <= 107, "control.socket", control.socket, "at most 107 bytes (a Unix socket path limit)")
        }
        try check(!control.group.contains(where: { $0.isWhitespace || $0 == ":" }), "control.group", control.group,
                  "a group name without spaces or colons (or \"\" for the daemon's own group)")
    }

    private func validateAmplifier() throws(ConfigurationError) {
        let a = amplifier
        switch a.mode {
        case "none":
            break
        case "gpio":
            guard let file = a.gpioValueFile else {
                throw .missing(key: "amplifier.gpio_value_file", hint: "mode \"gpio\" writes 1/0 to a GPIO value file, e.g. /sys/class/gpio/gpio17/value")
            }
            let directory = PathText.directory(of: file)
            if !FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory) {
                throw .invalid(key: "amplifier.gpio_value_file", value: file, reason: "its directory does not exist (is the GPIO exported?)")
            }
        case "command":
            if a.onCommand == nil { throw .missing(key: "amplifier.on_command", hint: "mode \"command\" runs on_command and off_command") }
            if a.offCommand == nil { throw .missing(key: "amplifier.off_command", hint: "mode \"command\" runs on_command and off_command") }
        default:
            throw .invalid(key: "amplifier.mode", value: "\"\(a.mode)\"", reason: "one of \"none\", \"gpio\", \"command\"")
        }
        if !(0...30_000).contains(a.preRollMs) {
            throw .invalid(key: "amplifier.pre_roll_ms", value: "\(a.preRollMs)", reason: "must be 0–30000 ms")
        }
        if !(0...86_400).contains(a.idleOffSeconds) {
            throw .invalid(key: "amplifier.idle_off_seconds", value: "\(a.idleOffSeconds)", reason: "must be 0–86400 s")
        }
    }

    public var logLevel: Logger.Level? { Logger.Level(rawValue: gateway.logLevel) }

    /// The secret's bytes: `secret` as UTF-8, or the file's contents without a trailing newline.
    public func secretBytes() throws(ConfigurationError) -> [UInt8] {
        if let secret = gateway.secret { return Array(secret.utf8) }
        guard let path = gateway.secretFile, let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: gateway.secretFile ?? "(no secret_file)", reason: "cannot read the gateway secret")
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .invalid(key: "gateway.secret_file", value: path, reason: "the file is empty") }
        return bytes
    }

    /// The ALSA configuration text for `audio.pcm`, if the config defines one.
    public func alsaConfigText() throws(ConfigurationError) -> String? {
        if let text = audio.alsaConfig { return text }
        guard let file = audio.alsaConfigFile else { return nil }
        do { return try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw .unreadable(path: file, reason: "\(error)")
        }
    }

    public var controllerAddresses: [ControllerAddress] { controller.hosts.compactMap(ControllerAddress.init) }

    /// The reconnect delays of the link.
    public var reconnectBackoff: ReconnectBackoff {
        ReconnectBackoff(baseMs: Int64(controller.reconnectBaseMs), capMs: Int64(controller.reconnectCapSeconds) * 1000)
    }

    /// The playout timing the player uses. With no amplifier to switch (`mode = "none"`) nothing
    /// warms up: sound starts at its time, whatever `pre_roll_ms` says (a live stream announced
    /// less than the pre-roll ahead would otherwise start late and skip its first second).
    public var playout: PlayoutConfiguration {
        let preRollMs = amplifier.mode == "none" ? 0 : Int64(amplifier.preRollMs)
        return PlayoutConfiguration(amplifierPreRollMs: preRollMs, amplifierIdleOffMs: Int64(amplifier.idleOffSeconds) * 1000,
                             liveFallbackGraceMs: Int64(audio.liveFallbackMs))
    }
}
