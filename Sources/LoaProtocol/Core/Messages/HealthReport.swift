/// `healthReport` (0x60, gateway → controller, JSON): the gateway's state. Every field is
/// optional so a gateway sends only what it can measure, and "on change" reports stay small.
public struct HealthReport: Codable, Equatable, Sendable {
    /// How often a gateway sends a full report when nothing changes (the idle-cost budget in
    /// docs/PROTOCOL.md assumes this).
    public static let defaultIntervalSeconds = 900

    /// Seconds since the machine booted (`/proc/uptime`).
    public var uptimeSeconds: Int64?
    /// Seconds since the gateway daemon started (what `loactl gateway status` shows).
    public var serviceUptimeSeconds: Int64?
    /// One-minute load average.
    public var load1: Double?
    public var memoryUsedBytes: UInt64?
    public var memoryTotalBytes: UInt64?
    public var diskFreeBytes: UInt64?
    public var diskTotalBytes: UInt64?
    public var temperatureCelsius: Double?
    public var linkRttMs: Double?
    /// Controller time minus the gateway's system clock.
    public var clockOffsetMs: Double?
    /// How the gateway follows the controller's time line (nil before the first exchange).
    public var clockSync: ClockSyncReport?
    /// ALSA PCM state, e.g. "RUNNING", "PREPARED", "XRUN", "closed".
    public var alsaState: String?
    public var amplifierOn: Bool?
    public var volumePercent: UInt8?
    /// Item id of what is playing, or nil when silent.
    public var nowPlaying: String?
    public var cacheUsedBytes: UInt64?
    public var cacheItems: UInt32?
    public var lastErrors: [String]?
    public var softwareVersion: String?
    /// The current live stream's reception, or the last one's since the gateway started.
    public var liveReception: LiveReception?

    public init(uptimeSeconds: Int64? = nil, load1: Double? = nil, memoryUsedBytes: UInt64? = nil,
                memoryTotalBytes: UInt64? = nil, diskFreeBytes: UInt64? = nil, diskTotalBytes: UInt64? = nil,
                temperatureCelsius: Double? = nil, linkRttMs: Double? = nil, clockOffsetMs: Double? = nil,
                alsaState: String? = nil, amplifierOn: Bool? = nil, volumePercent: UInt8? = nil,
                nowPlaying: String? = nil, cacheUsedBytes: UInt64? = nil, cacheItems: UInt32? = nil,
                lastErrors: [String]? = nil, softwareVersion: String? = nil, liveReception: LiveReception? = nil,
                serviceUptimeSeconds: Int64? = nil, clockSync: ClockSyncReport? = nil) {
        self.clockSync = clockSync
        self.uptimeSeconds = uptimeSeconds
        self.serviceUptimeSeconds = serviceUptimeSeconds
        self.load1 = load1
        self.memoryUsedBytes = memoryUsedBytes
        self.memoryTotalBytes = memoryTotalBytes
        self.diskFreeBytes = diskFreeBytes
        self.diskTotalBytes = diskTotalBytes
        self.temperatureCelsius = temperatureCelsius
        self.linkRttMs = linkRttMs
        self.clockOffsetMs = clockOffsetMs
        self.alsaState = alsaState
        self.amplifierOn = amplifierOn
        self.volumePercent = volumePercent
        self.nowPlaying = nowPlaying
        self.cacheUsedBytes = cacheUsedBytes
        self.cacheItems = cacheItems
        self.lastErrors = lastErrors
        self.softwareVersion = softwareVersion
        self.liveReception = liveReception
    }
}

/// `healthReport.clockSync`: the gateway's clock discipline and where its loudspeaker is
/// against the controller's time line — what tells a technician why two neighbouring
/// clusters echo.
public struct ClockSyncReport: Codable, Equatable, Sendable {
    /// The controller clock's frequency against the gateway's monotonic clock, in ppm.
    public var driftPpm: Double?
    /// Every clock exchange in the window allows the offset within ± this (ms).
    public var boundMs: Double?
    /// Clock exchanges the estimate rests on.
    public var exchanges: Int?
    /// Where the sample sounding is against the time line (ms; positive: the loudspeaker is
    /// ahead), while timed audio plays on a paced output.
    public var timelineErrorMs: Double?
    /// The sound card's rate against the controller's clock (ppm; positive: fast), as the
    /// output's rate correction estimates it.
    public var cardDriftPpm: Double?
    /// Times the output re-joined the time line at once (an underrun, a gap), since the start.
    public var rejoins: Int?

    public init(driftPpm: Double? = nil, boundMs: Double? = nil, exchanges: Int? = nil, timelineErrorMs: Double? = nil,
                cardDriftPpm: Double? = nil, rejoins: Int? = nil) {
        self.cardDriftPpm = cardDriftPpm
        self.rejoins = rejoins
        self.driftPpm = driftPpm
        self.boundMs = boundMs
        self.exchanges = exchanges
        self.timelineErrorMs = timelineErrorMs
    }
}
