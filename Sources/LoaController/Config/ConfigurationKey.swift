/// One settable key: its dotted TOML name, its type, and where it lands in the struct. The
/// one table both the TOML reader and the environment overrides use, so they cannot disagree.
struct ConfigurationKey {
    enum Kind: String { case string = "a string", int = "an integer", double = "a number", bool = "true or false" }

    /// A value as read, before it is stored.
    enum Value {
        case string(String), int(Int), double(Double), bool(Bool)
    }

    let name: String
    let kind: Kind
    let apply: (inout ControllerConfiguration, Value) -> Void

    /// Variables of the controller start with this, so they can share an environment with the
    /// gateway's `LOA_GW_*` and loactl's `LOA_CONTROLLER` (a URL).
    static let environmentPrefix = "LOA_CTL_"
    /// The names before `LOA_CTL_`, still read (with a warning) for one release.
    static let legacyEnvironmentPrefix = "LOA_CONTROLLER_"

    /// `LOA_CTL_GATEWAYS_LISTEN_PORT` for `gateways.listen_port`.
    var environmentVariable: String { Self.environmentPrefix + environmentSuffix }

    /// `LOA_CONTROLLER_GATEWAYS_LISTEN_PORT`: the old name.
    var legacyEnvironmentVariable: String { Self.legacyEnvironmentPrefix + environmentSuffix }

    private var environmentSuffix: String { name.uppercased().replacingOccurrences(of: ".", with: "_") }

    static func string(_ name: String, _ path: WritableKeyPath<ControllerConfiguration, String>) -> Self {
        Self(name: name, kind: .string) { c, v in if case .string(let s) = v { c[keyPath: path] = s } }
    }

    /// An optional path: an empty string unsets it.
    static func optional(_ name: String, _ path: WritableKeyPath<ControllerConfiguration, String?>) -> Self {
        Self(name: name, kind: .string) { c, v in if case .string(let s) = v { c[keyPath: path] = s.isEmpty ? nil : s } }
    }

    static func int(_ name: String, _ path: WritableKeyPath<ControllerConfiguration, Int>) -> Self {
        Self(name: name, kind: .int) { c, v in if case .int(let i) = v { c[keyPath: path] = i } }
    }

    static func optionalInt(_ name: String, _ path: WritableKeyPath<ControllerConfiguration, Int?>) -> Self {
        Self(name: name, kind: .int) { c, v in if case .int(let i) = v { c[keyPath: path] = i } }
    }

    static func double(_ name: String, _ path: WritableKeyPath<ControllerConfiguration, Double>) -> Self {
        Self(name: name, kind: .double) { c, v in
            switch v {
            case .double(let d): c[keyPath: path] = d
            case .int(let i): c[keyPath: path] = Double(i)
            default: break
            }
        }
    }

    static func bool(_ name: String, _ path: WritableKeyPath<ControllerConfiguration, Bool>) -> Self {
        Self(name: name, kind: .bool) { c, v in if case .bool(let b) = v { c[keyPath: path] = b } }
    }

    /// Every key, in the order of docs/CONFIG-controller.md.
    static var all: [ConfigurationKey] {
        [
            .string("gateways.listen_host", \.gateways.listenHost),
            .int("gateways.listen_port", \.gateways.listenPort),
            .int("gateways.heartbeat_seconds", \.gateways.heartbeatSeconds),
            .optionalInt("gateways.offline_after_seconds", \.gateways.offlineAfterSeconds),
            .optional("gateways.tls_certificate", \.gateways.tlsCertificate),
            .optional("gateways.tls_private_key", \.gateways.tlsPrivateKey),
            .int("gateways.content_chunk_bytes", \.gateways.contentChunkBytes),
            .int("gateways.schedule_recheck_seconds", \.gateways.scheduleRecheckSeconds),
            .string("state.directory", \.state.directory),
            .string("state.database", \.state.database),
            .string("state.key_file", \.state.keyFile),
            .string("state.content_directory", \.state.contentDirectory),
            .int("audio.sample_rate", \.audio.sampleRate),
            .int("audio.channels", \.audio.channels),
            .int("audio.bitrate_kbps", \.audio.bitrateKbps),
            .double("audio.loudness_target_lufs", \.audio.loudnessTargetLUFS),
            .double("audio.true_peak_ceiling_dbtp", \.audio.truePeakCeilingDBTP),
            .int("audio.max_upload_bytes", \.audio.maxUploadBytes),
            .int("audio.max_duration_seconds", \.audio.maxDurationSeconds),
            .int("audio.ingest_workers", \.audio.ingestWorkers),
            .int("audio.ingest_queue_length", \.audio.ingestQueueLength),
            .bool("bulletins.approval_required", \.bulletins.approvalRequired),
            .string("bulletins.time_zone", \.bulletins.timeZone),
            .string("http.listen", \.http.listen),
            .int("http.token_ttl_seconds", \.http.tokenTTLSeconds),
            .int("http.max_upload_bytes", \.http.maxUploadBytes),
            .bool("http.console", \.http.console),
            .bool("http.metrics_public", \.http.metricsPublic),
            .int("live.delay_ms", \.live.delayMs),
            .int("play_log.missed_after_seconds", \.playLog.missedAfterSeconds),
            .string("log.level", \.log.level),
        ]
    }

    static func named(_ name: String) -> ConfigurationKey? { all.first { $0.name == name } }
}
