#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaProtocol
import Logging

/// Builds `HealthReport`s from the machine, the link, the player and the cache, and queues them
/// in the outbox: a full report every `interval`, and a report whenever what a technician
/// watches (link up/down, now playing, amplifier, errors) changes, checked every few seconds.
public final class HealthReporter: @unchecked Sendable {
    public static let softwareVersion = "loa-gateway 0.1.0"

    private let probe: SystemProbe
    private let link: GatewayLink?
    private let player: PlayerService
    private let cache: ContentCache
    private let outbox: Outbox
    private let volume: (any VolumeControl)?
    private let output: (any AudioOutput)?
    private let interval: TimeInterval
    private let logger: Logger
    private var task: Task<Void, Never>?
    /// When the daemon started, for `serviceUptimeSeconds`.
    private let startedAt: Date

    public init(probe: SystemProbe, link: GatewayLink?, player: PlayerService, cache: ContentCache, outbox: Outbox,
                volume: (any VolumeControl)?, output: (any AudioOutput)?, interval: TimeInterval, logger: Logger,
                startedAt: Date = Date()) {
        self.startedAt = startedAt
        self.probe = probe
        self.link = link
        self.player = player
        self.cache = cache
        self.outbox = outbox
        self.volume = volume
        self.output = output
        self.interval = interval
        self.logger = logger
    }

    /// A report of everything measurable now.
    public func report() -> HealthReport {
        let machine = probe.read()
        let linkStatus = link?.status
        let playerStatus = player.status
        let offset = player.clock.systemClockOffset
        return HealthReport(
            uptimeSeconds: machine.uptimeSeconds, load1: machine.load1, memoryUsedBytes: machine.memoryUsedBytes,
            memoryTotalBytes: machine.memoryTotalBytes, diskFreeBytes: machine.diskFreeBytes, diskTotalBytes: machine.diskTotalBytes,
            temperatureCelsius: machine.temperatureCelsius, linkRttMs: linkStatus?.rttMs,
            clockOffsetMs: offset.map { Double($0) / 1e6 }, alsaState: output?.deviceState,
            amplifierOn: playerStatus.amplifierOn, volumePercent: (try? volume?.volume()).map { UInt8(clamping: $0) },
            nowPlaying: playerStatus.nowPlaying, cacheUsedBytes: cache.usedBytes, cacheItems: UInt32(clamping: cache.cachedEntries.count),
            lastErrors: playerStatus.lastErrors.isEmpty ? nil : playerStatus.lastErrors, softwareVersion: Self.softwareVersion,
            liveReception: playerStatus.liveReception,
            serviceUptimeSeconds: Int64(max(0, Date().timeIntervalSince(startedAt))),
            clockSync: Self.clockSync(player.clock.sync.estimate, player.timeline.snapshot, now: player.clock.now()))
    }

    /// The clock discipline's estimate and, while paced audio plays (measured in the last
    /// 10 s), the rate correction's view; nil when there is neither.
    static func clockSync(_ estimate: ClockEstimate?, _ timeline: TimelineStatus.Snapshot, now: Date) -> ClockSyncReport? {
        let playing = timeline.measuredAt.map { now.timeIntervalSince($0) < 10 } ?? false
        guard estimate != nil || playing else { return nil }
        func rounded(_ value: Double) -> Double { (value * 1_000).rounded() / 1_000 }
        return ClockSyncReport(driftPpm: estimate.map { rounded($0.ppm) }, boundMs: estimate.map { Double($0.bound) / 1e6 },
                               exchanges: estimate?.samples, timelineErrorMs: playing ? rounded(timeline.errorMs) : nil,
                               cardDriftPpm: playing ? timeline.driftPpm.map(rounded) : nil,
                               rejoins: timeline.measuredAt == nil ? nil : timeline.rejoins)
    }

    /// Queues one report durably and tells the link.
    public func queue() {
        do {
            let payload = try JSONEncoder().encode(report())
            try outbox.append(.health, payload: payload)
            link?.outboxChanged()
        } catch {
            logger.error("cannot queue a health report", metadata: ["error": "\(error)"])
        }
    }

    /// What changes trigger an early report.
    private func watched() -> String {
        let p = player.status
        // A live stream's first loss too: the office learns at once that a commune hears it badly.
        let losing = (p.liveReception?.lostPayloads ?? 0) > 0
        return "\(link?.status.connected ?? false)|\(p.nowPlaying ?? "-")|\(p.amplifierOn)|\(p.lastErrors.count)|\(losing)"
    }

    public func start(checkEvery check: TimeInterval = 5) {
        task = Task { [self] in
            var last = ""
            var due = Date()
            while !Task.isCancelled {
                let now = watched()
                if now != last || Date() >= due {
                    queue()
                    last = now
                    due = Date().addingTimeInterval(interval)
                }
                try? await Task.sleep(for: .seconds(check))
            }
        }
    }

    public func stop() { task?.cancel() }
}
