import LoaService

extension ControllerConfiguration: DaemonConfiguration {
    /// The controller's keys and environment names: `LOA_CTL_<SECTION>_<KEY>`
    /// (`LOA_CTL_GATEWAYS_LISTEN_PORT` for `gateways.listen_port`), so they can share an
    /// environment with the gateway's `LOA_GW_*` and loactl's `LOA_CONTROLLER` (a URL). The old
    /// names, `LOA_CONTROLLER_<SECTION>_<KEY>`, are still applied for one release.
    public static let schema = ConfigurationSchema(keys: keys, environmentPrefix: "LOA_CTL_", legacyPrefix: "LOA_CONTROLLER_",
                                                   reference: "docs/CONFIG-controller.md")

    /// Every key, in the order of docs/CONFIG-controller.md.
    static let keys: [ConfigurationKey<ControllerConfiguration>] = [
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
        .strings("live.relay_hosts", \.live.relayHosts),
        .int("live.relay_stall_timeout_seconds", \.live.relayStallTimeoutSeconds),
        .int("live.relay_reconnect_seconds", \.live.relayReconnectSeconds),
        .int("live.relay_silence_dbfs", \.live.relaySilenceDBFS),
        .int("live.relay_silence_seconds", \.live.relaySilenceSeconds),
        .bool("live.relay_end_on_silence", \.live.relayEndOnSilence),
        .int("live.max_listeners", \.live.maxListeners),
        .string("live.icecast_listen", \.live.icecastListen),
        .strings("live.capture_devices", \.live.captureDevices),
        .int("play_log.missed_after_seconds", \.playLog.missedAfterSeconds),
        .string("link.identity", \.link.identity),
        .strings("link.downstreams", \.link.downstreams),
        .string("upstream.url", \.upstream.url),
        .string("upstream.name", \.upstream.name),
        .string("upstream.key", \.upstream.key),
        .string("upstream.key_file", \.upstream.keyFile),
        .int("upstream.poll_seconds", \.upstream.pollSeconds),
        .int("upstream.backoff_max_seconds", \.upstream.backoffMaxSeconds),
        .strings("upstream.area_map", \.upstream.areaMap),
        .string("log.level", \.log.level),
    ]
}
