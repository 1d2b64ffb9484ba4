import Crypto
import Foundation
import LoaSchedule

/// The controller's side of `missed` (docs/ARCHITECTURE.md, "Proof of play"): an occurrence of a
/// gateway that was offline for its whole window, and that the gateway has not reported, is
/// recorded missed once it ended `missedAfter` ago. Pure: the store's "has the gateway reported
/// this item?" check and the superseding by the gateway's own events are in the insert.
public enum MissedSweep {
    /// No older occurrence is marked: the gateway's journal keeps 8 days; a week is what an
    /// operator's report reaches back to.
    public static let lookBack: TimeInterval = 7 * 86_400
    /// The prefix of the controller's event ids (a gateway's are UUIDs).
    public static let eventIDPrefix = "controller-missed-"

    /// `controller-missed-` and 40 hex digits of SHA-256 of `<gateway>\n<item>`: one per
    /// (gateway, occurrence), so a second sweep (after a restart) stores nothing twice.
    public static func eventID(gatewayID: String, itemID: String) -> String {
        let digest = SHA256.hash(data: Data("\(gatewayID)\n\(itemID)".utf8))
        return eventIDPrefix + digest.map { String(format: "%02x", $0) }.joined().prefix(40)
    }

    /// The occurrences of `schedule` that ran wholly while the gateway was offline (it was last
    /// seen at `lastSeen` and is not connected) and ended at or before `until` (now less the
    /// configured wait), newer than `sweptUntil` (the end reached by the previous sweep), as the
    /// controller's `missed` events.
    public static func missed(in schedule: GatewaySchedule, gatewayID: String, lastSeen: Date, sweptUntil: Date?,
                              until: Date, now: Date) throws(ScheduleValidationError) -> [PlayLogEntry] {
        let from = max(lastSeen, now - lookBack)
        let longest = schedule.entries.map { max(0, $0.content.durationMs) * Int64(max(1, $0.repeatCount)) }.max() ?? 0
        // A play that ends after the previous sweep's `until` starts at most `longest` before it.
        let expandFrom = sweptUntil.map { max(from, $0 - TimeInterval(longest) / 1000) } ?? from
        guard expandFrom < until, longest > 0 else { return [] }
        let detail = "missed reason=gateway-offline offline-since=\(lastSeen.millisecondsSince1970)"
        return try schedule.occurrences(in: DateInterval(start: expandFrom, end: until))
            .filter { occurrence in
                occurrence.start >= from && occurrence.end <= until && (sweptUntil.map { occurrence.end > $0 } ?? true)
            }
            .map { occurrence in
                PlayLogEntry(eventID: eventID(gatewayID: gatewayID, itemID: occurrence.id), gatewayID: gatewayID,
                          itemID: occurrence.id, bulletinSHA256: occurrence.content.hasWellFormedHash ? occurrence.content.sha256 : nil, kind: .missed,
                          at: occurrence.start, detail: detail, origin: .controller)
            }
    }
}
