#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol

/// The gateway's answer to one `ControlRequest`: a JSON object on one line, `ok` plus the
/// payload of the request's kind, or `ok: false` and `error`. Shared with `loactl`, which
/// prints it as a table or, with `--json`, as it came.
public struct ControlAnswer: Codable, Hashable, Sendable {
    public var ok: Bool
    public var error: String?
    public var status: GatewayStatusReport?
    public var schedule: ScheduleListing?
    public var cache: CacheListing?
    public var volume: VolumeReport?
    public var testTone: TestToneReport?
    public var logs: [String]?

    public init(ok: Bool = true, error: String? = nil, status: GatewayStatusReport? = nil, schedule: ScheduleListing? = nil,
                cache: CacheListing? = nil, volume: VolumeReport? = nil, testTone: TestToneReport? = nil, logs: [String]? = nil) {
        self.ok = ok
        self.error = error
        self.status = status
        self.schedule = schedule
        self.cache = cache
        self.volume = volume
        self.testTone = testTone
        self.logs = logs
    }

    public static func failure(_ error: ControlError) -> ControlAnswer { ControlAnswer(ok: false, error: error.description) }

    /// One JSON line (without the newline); keys sorted so answers are stable.
    public var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array((try? encoder.encode(self)) ?? Data(#"{"error":"answer could not be encoded","ok":false}"#.utf8))
    }

    public static func decode(_ line: some Collection<UInt8>) throws -> ControlAnswer {
        try JSONDecoder().decode(ControlAnswer.self, from: Data(line))
    }
}

/// `status`: what a technician checks first.
public struct GatewayStatusReport: Codable, Hashable, Sendable {
    public var gatewayId: String
    public var software: String
    /// Seconds since this daemon (re)started its services.
    public var uptimeSeconds: Int
    /// Controller time now, ms since 1970 (gateway clock + measured offset).
    public var now: Int64
    public var link: Link
    /// The stored schedule's version, nil when none was ever received.
    public var scheduleVersion: UInt64?
    public var nowPlaying: String?
    public var amplifierOn: Bool
    /// "closed" (the card is released while idle) or the device's state (ALSA's `RUNNING`, `XRUN` …).
    public var output: String
    public var volume: VolumeReport?
    public var cacheUsedBytes: UInt64
    public var cacheQuotaBytes: UInt64
    public var cacheEntries: Int
    /// As-played events and health reports waiting for the controller's acknowledgement.
    public var outboxPending: Int
    public var lastErrors: [String]
    /// The current (or last) live stream's reception; nil when none played since the start.
    public var liveReception: LiveReception?

    public struct Link: Codable, Hashable, Sendable {
        public var connected: Bool
        public var controller: String?
        public var rttMs: Double?
        /// Controller minus gateway clock, ms; nil before the first clock exchange.
        public var clockOffsetMs: Double?

        public init(connected: Bool, controller: String? = nil, rttMs: Double? = nil, clockOffsetMs: Double? = nil) {
            self.connected = connected
            self.controller = controller
            self.rttMs = rttMs
            self.clockOffsetMs = clockOffsetMs
        }
    }

    public init(gatewayId: String, software: String, uptimeSeconds: Int, now: Int64, link: Link, scheduleVersion: UInt64?,
                nowPlaying: String?, amplifierOn: Bool, output: String, volume: VolumeReport?, cacheUsedBytes: UInt64,
                cacheQuotaBytes: UInt64, cacheEntries: Int, outboxPending: Int, lastErrors: [String],
                liveReception: LiveReception? = nil) {
        self.gatewayId = gatewayId
        self.software = software
        self.uptimeSeconds = uptimeSeconds
        self.now = now
        self.link = link
        self.scheduleVersion = scheduleVersion
        self.nowPlaying = nowPlaying
        self.amplifierOn = amplifierOn
        self.output = output
        self.volume = volume
        self.cacheUsedBytes = cacheUsedBytes
        self.cacheQuotaBytes = cacheQuotaBytes
        self.cacheEntries = cacheEntries
        self.outboxPending = outboxPending
        self.lastErrors = lastErrors
        self.liveReception = liveReception
    }
}

/// `volume`: the level now and how it is applied.
public struct VolumeReport: Codable, Hashable, Sendable {
    public var percent: Int
    /// "hardware" (card mixer) or "software" (sample gain).
    public var kind: String
    /// True when this level is stored and restored at the next start.
    public var persisted: Bool

    public init(percent: Int, kind: String, persisted: Bool) {
        self.percent = percent
        self.kind = kind
        self.persisted = persisted
    }
}

/// `testTone`: what was queued.
public struct TestToneReport: Codable, Hashable, Sendable {
    public var itemId: String
    public var frequencyHz: Int
    public var durationMs: Int64
    public var priority: Int

    public init(itemId: String, frequencyHz: Int, durationMs: Int64, priority: Int) {
        self.itemId = itemId
        self.frequencyHz = frequencyHz
        self.durationMs = durationMs
        self.priority = priority
    }
}
