#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import Logging

/// What a technician (control socket) and the controller (`command`) can make the gateway do
/// now: read or set the volume (persisted in the state directory, restored at start), and play
/// a test tone through the player. One place, so both paths behave the same.
public final class GatewayActions: Sendable {
    public let volume: (any VolumeControl)?
    public let setting: VolumeSetting
    public let player: PlayerService

    public init(volume: (any VolumeControl)?, setting: VolumeSetting, player: PlayerService) {
        self.volume = volume
        self.setting = setting
        self.player = player
    }

    public func currentVolume() throws(ControlError) -> VolumeReport {
        guard let volume else { throw .unavailable("this gateway has no volume control") }
        do {
            let stored = try? setting.load()
            let percent = try volume.volume()
            return VolumeReport(percent: percent, kind: volume.kind.rawValue, persisted: stored == percent)
        } catch {
            throw .unavailable("cannot read the volume: \(error)")
        }
    }

    /// Sets the level, then stores it; a level that was set but could not be stored says so.
    public func setVolume(_ percent: Int) throws(ControlError) -> VolumeReport {
        guard let volume else { throw .unavailable("this gateway has no volume control") }
        let now: Int
        do {
            try volume.setVolume(percent)
            now = try volume.volume()
        } catch {
            throw .unavailable("cannot set the volume: \(error)")
        }
        do { try setting.save(now) } catch {
            throw .unavailable("volume set to \(now)% but not stored (it will not survive a restart): \(error)")
        }
        return VolumeReport(percent: now, kind: volume.kind.rawValue, persisted: true)
    }

    /// Applies the stored level at start; logs what it did or why not.
    public func restoreVolume(logger: Logger) {
        do {
            guard let stored = try setting.load() else { return }
            guard let volume else { return }
            try volume.setVolume(stored)
            logger.info("volume restored", metadata: ["volume.percent": "\(stored)", "volume.kind": "\(volume.kind.rawValue)"])
        } catch {
            logger.error("stored volume not applied", metadata: ["error": "\(error)"])
        }
    }

    /// Queues a tone through the player (amplifier pre-roll first, like any item).
    public func testTone(frequencyHz: Int, durationMs: Int64) -> TestToneReport {
        let item = player.playTestTone(TestTone(frequencyHz: frequencyHz, durationMs: durationMs))
        return TestToneReport(itemId: item.id, frequencyHz: frequencyHz, durationMs: durationMs,
                              priority: Int(PlayerService.testTonePriority.rawValue))
    }
}
