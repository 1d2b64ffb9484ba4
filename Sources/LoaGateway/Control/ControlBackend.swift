#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// What the control socket reads and does, as the `ControlResponder` needs it. The daemon's
/// implementation (`DaemonControlBackend`) reads the live services; tests give fixed values.
public protocol ControlBackend: Sendable {
    func status() -> GatewayStatusReport
    /// The stored schedule, decoded; nil when none is stored (or it is unusable).
    func storedSchedule() -> GatewaySchedule?
    /// Controller time now.
    func now() -> Date
    func cacheEntries() -> [CacheEntry]
    var cacheQuotaBytes: UInt64 { get }
    func isCached(sha256: String) -> Bool
    func volume() throws(ControlError) -> VolumeReport
    func setVolume(_ percent: Int) throws(ControlError) -> VolumeReport
    func testTone(frequencyHz: Int, durationMs: Int64) throws(ControlError) -> TestToneReport
    func recentLogs(_ count: Int) -> [String]
}
