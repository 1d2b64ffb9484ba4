#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaSchedule

/// The control socket's view of a running daemon: reads the live services and the local state
/// each time it is asked (nothing cached that could go stale).
final class DaemonControlBackend: ControlBackend, @unchecked Sendable {
    let gatewayId: String
    let startedAt: Date
    let state: LocalState
    let player: PlayerService
    let link: GatewayLink
    let actions: GatewayActions
    let output: any AudioOutput
    let logRing: LogRing?

    init(gatewayId: String, startedAt: Date, state: LocalState, player: PlayerService, link: GatewayLink, actions: GatewayActions,
         output: any AudioOutput, logRing: LogRing?) {
        self.gatewayId = gatewayId
        self.startedAt = startedAt
        self.state = state
        self.player = player
        self.link = link
        self.actions = actions
        self.output = output
        self.logRing = logRing
    }

    func status() -> GatewayStatusReport {
        let linkStatus = link.status
        let playerStatus = player.status
        let stored = try? state.schedule.load()
        return GatewayStatusReport(
            gatewayId: gatewayId, software: HealthReporter.softwareVersion, uptimeSeconds: Int(Date().timeIntervalSince(startedAt)),
            now: Int64((now().timeIntervalSince1970 * 1000).rounded()),
            link: .init(connected: linkStatus.connected, controller: linkStatus.connected ? linkStatus.controller : nil,
                        rttMs: linkStatus.rttMs, clockOffsetMs: player.clock.systemClockOffset.map { Double($0) / 1e6 }),
            scheduleVersion: stored.map(\.version), nowPlaying: playerStatus.nowPlaying, amplifierOn: playerStatus.amplifierOn,
            output: output.deviceState, volume: try? actions.currentVolume(),
            cacheUsedBytes: state.cache.usedBytes, cacheQuotaBytes: state.cache.configuration.quotaBytes,
            cacheEntries: state.cache.cachedEntries.count, outboxPending: (try? state.outbox.pendingCount()) ?? -1,
            lastErrors: playerStatus.lastErrors, liveReception: playerStatus.liveReception)
    }

    func storedSchedule() -> GatewaySchedule? {
        guard let stored = try? state.schedule.load() else { return nil }
        return try? GatewaySchedule.decode(json: stored.document)
    }

    func now() -> Date { player.clock.now() }

    func cacheEntries() -> [CacheEntry] { state.cache.cachedEntries }

    var cacheQuotaBytes: UInt64 { state.cache.configuration.quotaBytes }

    func isCached(sha256: String) -> Bool { ContentAddress(hex: sha256).map { state.cache.contains($0) } ?? false }

    func volume() throws(ControlError) -> VolumeReport { try actions.currentVolume() }

    func setVolume(_ percent: Int) throws(ControlError) -> VolumeReport { try actions.setVolume(percent) }

    func testTone(frequencyHz: Int, durationMs: Int64) throws(ControlError) -> TestToneReport {
        actions.testTone(frequencyHz: frequencyHz, durationMs: durationMs)
    }

    func recentLogs(_ count: Int) -> [String] { logRing?.last(count) ?? [] }
}
