import Foundation
import LoaAudio
import LoaSchedule
import LoaService
import Logging

extension ControllerConfiguration {
    /// Checks every value in one place; the error names the key and says what would be right.
    public func validate() throws(ConfigurationError) {
        func check(_ ok: Bool, _ key: String, _ value: Any, _ reason: String) throws(ConfigurationError) {
            if !ok { throw .invalid(key: key, value: "\(value)", reason: reason) }
        }
        let g = gateways
        try check(!g.listenHost.isEmpty, "gateways.listen_host", "\"\"", "give an address to listen on, e.g. \"0.0.0.0\"")
        try check((0...65_535).contains(g.listenPort), "gateways.listen_port", g.listenPort, "a TCP port is 0–65535 (0 picks a free one)")
        try check((5...3_600).contains(g.heartbeatSeconds), "gateways.heartbeat_seconds", g.heartbeatSeconds,
                  "must be 5–3600 s; gateways on prepaid SIMs pay for every heartbeat")
        if let offline = g.offlineAfterSeconds {
            try check(offline >= 3 * g.heartbeatSeconds, "gateways.offline_after_seconds", offline,
                      "must be at least three heartbeats (3 × \(g.heartbeatSeconds) s): a gateway on a lossy link may miss two; leave it unset for exactly three")
        }
        try check((g.tlsCertificate == nil) == (g.tlsPrivateKey == nil),
                  g.tlsCertificate == nil ? "gateways.tls_certificate" : "gateways.tls_private_key", "(unset)",
                  "set both tls_certificate and tls_private_key, or neither")
        for (key, path) in [("gateways.tls_certificate", g.tlsCertificate), ("gateways.tls_private_key", g.tlsPrivateKey)] {
            if let path { try check(FileManager.default.isReadableFile(atPath: path), key, path, "no readable file there") }
        }
        try check((1_024...(1 << 20) - 1_024).contains(g.contentChunkBytes), "gateways.content_chunk_bytes", g.contentChunkBytes,
                  "must be 1024–1047552 so a chunk fits in one 1 MiB frame")
        try check((0...86_400).contains(g.scheduleRecheckSeconds), "gateways.schedule_recheck_seconds", g.scheduleRecheckSeconds,
                  "must be 0 (off) to 86400")
        for (key, value) in [("state.directory", state.directory), ("state.database", state.database),
                             ("state.key_file", state.keyFile), ("state.content_directory", state.contentDirectory)] {
            try check(!value.isEmpty, key, "\"\"", "must name a path")
        }
        try check(MP3EncoderSettings.validSampleRates.contains(audio.sampleRate), "audio.sample_rate", audio.sampleRate,
                  "MP3 allows \(MP3EncoderSettings.validSampleRates.map(String.init).joined(separator: ", ")) Hz")
        try check((1...2).contains(audio.channels), "audio.channels", audio.channels, "1 (mono) or 2 (stereo)")
        do {
            try encoderSettings.validate()
        } catch {
            throw .invalid(key: "audio.bitrate_kbps", value: "\(audio.bitrateKbps)", reason: "\(error)")
        }
        try check((-40.0 ... -5.0).contains(audio.loudnessTargetLUFS), "audio.loudness_target_lufs", audio.loudnessTargetLUFS,
                  "must be -40 to -5 LUFS (-16 suits speech on horns)")
        try check((-12.0...0.0).contains(audio.truePeakCeilingDBTP), "audio.true_peak_ceiling_dbtp", audio.truePeakCeilingDBTP,
                  "must be -12 to 0 dBTP")
        try check(audio.maxUploadBytes > 0, "audio.max_upload_bytes", audio.maxUploadBytes, "must be positive")
        try check(audio.maxDurationSeconds > 0, "audio.max_duration_seconds", audio.maxDurationSeconds, "must be positive")
        try check((1...16).contains(audio.ingestWorkers), "audio.ingest_workers", audio.ingestWorkers,
                  "must be 1–16; each runs on a core of its own, so leave one core for the API and the gateways")
        try check((audio.ingestWorkers...64).contains(audio.ingestQueueLength), "audio.ingest_queue_length", audio.ingestQueueLength,
                  "must be from audio.ingest_workers (\(audio.ingestWorkers)) to 64; each held upload may occupy up to audio.max_upload_bytes in the content store's tmp/")
        try check(TimeZone(identifier: bulletins.timeZone) != nil, "bulletins.time_zone", bulletins.timeZone,
                  "not an IANA time zone; Vietnam is \"Asia/Ho_Chi_Minh\"")
        // Schedules expand from the zone's TZif file (ZoneRules), on the gateways too: it must read.
        do { _ = try ZoneRules.named(bulletins.timeZone) } catch {
            throw .invalid(key: "bulletins.time_zone", value: bulletins.timeZone, reason: error.description)
        }
        try check(httpListenAddress != nil, "http.listen", "\"\(http.listen)\"",
                  "give host:port, e.g. \"127.0.0.1:8080\" or \"0.0.0.0:8080\" ([::1]:8080 for IPv6)")
        try check((60...2_592_000).contains(http.tokenTTLSeconds), "http.token_ttl_seconds", http.tokenTTLSeconds,
                  "must be 60 s to 30 days (43200 = 12 hours)")
        try check(http.maxUploadBytes >= 1_024, "http.max_upload_bytes", http.maxUploadBytes, "must be at least 1024")
        try check(LiveSettings.delayRange.contains(live.delayMs), "live.delay_ms", live.delayMs,
                  "must be 200–10000 ms: the gateways' jitter buffer (2000 suits 4G links)")
        for host in live.relayHosts where host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == ":" }) {
            throw ConfigurationError.invalid(key: "live.relay_hosts", value: "\"\(host)\"",
                                             reason: "each entry is a host name or address as it appears in a relay URL, without scheme, port or path")
        }
        try check((1...300).contains(live.relayStallTimeoutSeconds), "live.relay_stall_timeout_seconds", live.relayStallTimeoutSeconds,
                  "must be 1–300 s: how long an upstream may send nothing before the relay counts it dropped")
        try check((0...3_600).contains(live.relayReconnectSeconds), "live.relay_reconnect_seconds", live.relayReconnectSeconds,
                  "must be 0 (end at once) to 3600 s")
        try check((-90 ... -10).contains(live.relaySilenceDBFS), "live.relay_silence_dbfs", live.relaySilenceDBFS,
                  "must be -90 to -10 (dBFS; -50 is well below speech and music)")
        try check((0...3_600).contains(live.relaySilenceSeconds), "live.relay_silence_seconds", live.relaySilenceSeconds,
                  "must be 0 (never) to 3600 s")
        try check((0...10_000).contains(live.maxListeners), "live.max_listeners", live.maxListeners,
                  "must be 0 (no listen URLs) to 10000")
        for device in live.captureDevices where device.isEmpty || device.count > 200 || device.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw ConfigurationError.invalid(key: "live.capture_devices", value: "\"\(device)\"",
                                             reason: "each entry is an ALSA PCM name such as \"default\" or \"plughw:1,0\" (no spaces, at most 200 characters)")
        }
        try check(live.icecastListen.isEmpty || icecastListenAddress != nil, "live.icecast_listen", "\"\(live.icecastListen)\"",
                  "give host:port, e.g. \"0.0.0.0:8010\", or \"\" for off")
        try check(playLog.missedAfterSeconds == 0 || (60...604_800).contains(playLog.missedAfterSeconds),
                  "play_log.missed_after_seconds", playLog.missedAfterSeconds,
                  "must be 0 (off) or 60 s to 7 days (3600: an hour after the occurrence ended)")
        _ = try linkSettings()
        try check(logLevel != nil, "log.level", log.level,
                  "one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
    }

    /// The MP3 settings ingest encodes with.
    public var encoderSettings: MP3EncoderSettings {
        MP3EncoderSettings(sampleRate: audio.sampleRate, channels: audio.channels, bitrate: .constant(kbps: audio.bitrateKbps))
    }

    public var logLevel: Logger.Level? { Logger.Level(rawValue: log.level) }
}
