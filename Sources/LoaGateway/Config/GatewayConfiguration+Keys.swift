import LoaService

extension GatewayConfiguration: DaemonConfiguration {
    /// The gateway's keys and environment names: `LOA_GW_<SECTION>_<KEY>` (`LOA_GW_GATEWAY_ID`
    /// for `gateway.id`), so they can share an environment with the controller's `LOA_CTL_*` and
    /// loactl's `LOA_CONTROLLER` (a URL). The old names, `LOA_<SECTION>_<KEY>` and `LOA_CONTROLLER`
    /// (a comma-separated host list), are still applied for one release.
    public static let schema = ConfigurationSchema(keys: keys, environmentPrefix: "LOA_GW_", legacyPrefix: "LOA_",
                                                   legacyAliases: ["LOA_CONTROLLER": "controller.hosts"],
                                                   reference: "docs/CONFIG-gateway.md")

    /// Every key, in the order of docs/CONFIG-gateway.md.
    static let keys: [ConfigurationKey<GatewayConfiguration>] = [
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
        .int("controller.clock_sync_busy_seconds", \.controller.clockSyncBusySeconds),
        .int("controller.reconnect_base_ms", \.controller.reconnectBaseMs),
        .int("controller.reconnect_cap_seconds", \.controller.reconnectCapSeconds),
        .string("audio.pcm", \.audio.pcm),
        .optional("audio.alsa_config", \.audio.alsaConfig),
        .optional("audio.alsa_config_file", \.audio.alsaConfigFile),
        .optional("audio.mixer_element", \.audio.mixerElement),
        .int("audio.latency_ms", \.audio.latencyMs),
        .int("audio.live_fallback_ms", \.audio.liveFallbackMs),
        .double("audio.simulated_skew_ppm", \.audio.simulatedSkewPpm),
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
}
