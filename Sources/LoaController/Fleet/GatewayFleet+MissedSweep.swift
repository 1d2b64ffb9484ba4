import Foundation
import LoaSchedule
import Logging

extension GatewayFleet {
    /// One pass of the controller's missed sweep (`MissedSweep`) over every gateway that is not
    /// connected and has been seen before (one never seen is not installed yet). Returns how many
    /// occurrences were recorded missed. The daemon runs it every minute once it has been up long
    /// enough for gateways to reconnect after its own restart.
    @discardableResult
    public func sweepMissed(missedAfter: TimeInterval, at now: Date) async -> Int {
        let until = now - missedAfter
        let gateways: [Gateway]
        do throws(StoreError) {
            gateways = try await store.allGateways()
        } catch {
            logger.warning("missed sweep: could not list gateways", metadata: ["error": "\(error)"])
            return 0
        }
        var recorded = 0
        for gateway in gateways where registry.link(for: gateway.id) == nil {
            guard let lastSeen = gateway.lastSeenAt, lastSeen < until else { continue }
            let swept = missedSweptUntil.withLockedValue { $0[gateway.id] }
            do {
                let schedule = try await schedules.schedule(for: gateway.id)
                let events = try MissedSweep.missed(in: schedule, gatewayID: gateway.id, lastSeen: lastSeen,
                                                    sweptUntil: swept.map { max($0, lastSeen) }, until: until, now: now)
                let fresh = events.isEmpty ? 0 : try await store.recordMissedByController(events)
                missedSweptUntil.withLockedValue { $0[gateway.id] = until }
                if fresh > 0 {
                    recorded += fresh
                    for _ in 0..<fresh { metrics.playEvents(kind: PlayLogEntry.Kind.missed.rawValue) }
                    logger.notice("occurrences recorded missed: the gateway was offline", metadata: [
                        "gateway.id": "\(gateway.id)", "events.new": "\(fresh)",
                        "offline.since": "\(lastSeen.millisecondsSince1970)",
                    ])
                }
            } catch {
                logger.warning("missed sweep failed for a gateway", metadata: ["gateway.id": "\(gateway.id)", "error": "\(error)"])
            }
        }
        return recorded
    }
}
