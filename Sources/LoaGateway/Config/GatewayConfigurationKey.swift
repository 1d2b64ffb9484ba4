/// One settable key: its dotted TOML name, its type, and where it lands in the struct. The one
/// table both the TOML reader and the environment overrides use, so they cannot disagree.
struct GatewayConfigurationKey: Sendable {
    enum Kind: String, Sendable {
        case string = "a string", int = "an integer", bool = "true or false", strings = "an array of strings"
    }

    /// A value as read, before it is stored.
    enum Value {
        case string(String), int(Int), bool(Bool), strings([String])
    }

    let name: String
    let kind: Kind
    let apply: @Sendable (inout GatewayConfiguration, Value) -> Void

    /// Variables of the gateway start with this, so they can share an environment with the
    /// controller's `LOA_CTL_*` and loactl's `LOA_CONTROLLER` (a URL).
    static let environmentPrefix = "LOA_GW_"

    /// `LOA_GW_<SECTION>_<KEY>`: `LOA_GW_GATEWAY_ID` for `gateway.id`, `LOA_GW_AUDIO_PCM` for `audio.pcm`.
    var environmentVariable: String { Self.environmentPrefix + environmentSuffix }

    /// `LOA_<SECTION>_<KEY>`: the old name (`LOA_GATEWAY_ID`), still read for one release.
    var legacyEnvironmentVariable: String { "LOA_" + environmentSuffix }

    private var environmentSuffix: String { name.uppercased().replacingOccurrences(of: ".", with: "_") }

    static func string(_ name: String, _ path: WritableKeyPath<GatewayConfiguration, String> & Sendable) -> Self {
        Self(name: name, kind: .string) { c, v in if case .string(let s) = v { c[keyPath: path] = s } }
    }

    /// An optional value: an empty string unsets it.
    static func optional(_ name: String, _ path: WritableKeyPath<GatewayConfiguration, String?> & Sendable) -> Self {
        Self(name: name, kind: .string) { c, v in if case .string(let s) = v { c[keyPath: path] = s.isEmpty ? nil : s } }
    }

    static func int(_ name: String, _ path: WritableKeyPath<GatewayConfiguration, Int> & Sendable) -> Self {
        Self(name: name, kind: .int) { c, v in if case .int(let i) = v { c[keyPath: path] = i } }
    }

    static func bool(_ name: String, _ path: WritableKeyPath<GatewayConfiguration, Bool> & Sendable) -> Self {
        Self(name: name, kind: .bool) { c, v in if case .bool(let b) = v { c[keyPath: path] = b } }
    }

    static func strings(_ name: String, _ path: WritableKeyPath<GatewayConfiguration, [String]> & Sendable) -> Self {
        Self(name: name, kind: .strings) { c, v in if case .strings(let s) = v { c[keyPath: path] = s } }
    }

    /// Every key, in the order of docs/CONFIG-gateway.md.
    static let all: [GatewayConfigurationKey] = [
        .string("gateway.id", \.gateway.id),
        .optional("gateway.secret", \.gateway.secret),
        .optional("gateway.secret_file", \.gateway.secretFile),
        .string("gateway.state_directory", \.gateway.stateDirectory),
        .string("gateway.log_level", \.gateway.logLevel),
        .strings("controller.hosts", \.controller.hosts),
        .bool("controller.tls", \.controller.tls),
        .optional("controller.ca_file", \.controller.caFile),
        .int("controller.handshake_timeout_seconds", \.controller.handshakeTimeoutSeconds),
        .int("controller.clock_sync_seconds", \.controller.clockSyncSeconds),
        .int("controller.reconnect_base_ms", \.controller.reconnectBaseMs),
        .int("controller.reconnect_cap_seconds", \.controller.reconnectCapSeconds),
        .string("audio.pcm", \.audio.pcm),
        .optional("audio.alsa_config", \.audio.alsaConfig),
        .optional("audio.alsa_config_file", \.audio.alsaConfigFile),
        .optional("audio.mixer_element", \.audio.mixerElement),
        .int("audio.latency_ms", \.audio.latencyMs),
        .int("audio.live_fallback_ms", \.audio.liveFallbackMs),
        .string("amplifier.mode", \.amplifier.mode),
        .optional("amplifier.gpio_value_file", \.amplifier.gpioValueFile),
        .optional("amplifier.on_command", \.amplifier.onCommand),
        .optional("amplifier.off_command", \.amplifier.offCommand),
        .int("amplifier.pre_roll_ms", \.amplifier.preRollMs),
        .int("amplifier.idle_off_seconds", \.amplifier.idleOffSeconds),
        .int("cache.quota_mb", \.cache.quotaMB),
        .int("health.interval_seconds", \.health.intervalSeconds),
        .string("control.socket", \.control.socket),
        .string("control.group", \.control.group),
    ]

    /// Old short names operators used in unit files (read for one release). `LOA_CONTROLLER` is
    /// also loactl's controller URL: a value with "://" in it is loactl's and left alone.
    static let legacyAliases: [String: String] = ["LOA_CONTROLLER": "controller.hosts"]

    static func named(_ name: String) -> GatewayConfigurationKey? { all.first { $0.name == name } }
}
