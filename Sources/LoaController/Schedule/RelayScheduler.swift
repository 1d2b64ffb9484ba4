import Foundation
import LoaSchedule
import Logging

/// Opens each scheduled relay's window as a relay stream of its area (pulled by `LiveRelay`,
/// sounding on the window's start) and ends it after its duration, as `RelayTimetable` decides;
/// ticked every second by the daemon.
public actor RelayScheduler {
    let store: any ControllerStore
    let hub: LiveHub
    let timeZone: String
    let logger: Logger
    private var timetable = RelayTimetable()

    public init(store: any ControllerStore, hub: LiveHub, timeZone: String, logger: Logger) {
        self.store = store
        self.hub = hub
        self.timeZone = timeZone
        var logger = logger
        logger[metadataKey: "component"] = "relay-schedule"
        self.logger = logger
    }

    public func tick(now: Date) async {
        let rules: [RelaySchedule]
        do { rules = try await store.allRelaySchedules() } catch {
            logger.error("scheduled relays not read", metadata: ["error": "\(error)"])
            return
        }
        let plan = timetable.plan(rules: rules, timeZone: timeZone, now: now)
        for stream in plan.close {
            await hub.end(stream, reason: LiveEndReason.scheduleEnded, origin: .controller)
        }
        for (rule, window) in plan.open {
            do {
                let key = LoginToken.random()
                let stream = try await store.createLiveStream(
                    NewLiveStream(areaID: rule.areaID, title: rule.title, priority: rule.priority, onBusy: rule.onBusy,
                                  onInterrupt: rule.onInterrupt, sourceKeySHA256: key.sha256, relayURL: rule.relayURL,
                                  listenKey: LoginToken.random().value, relayScheduleID: rule.id, windowStart: window.start),
                    origin: AuditOrigin(actor: rule.createdBy))
                timetable.opened(window.id, stream: stream.id)
                logger.notice("scheduled relay opened", metadata: [
                    "relay.schedule": "\(rule.id)", "window": "\(window.id)", "live.id": "\(stream.id)", "relay.url": "\(rule.relayURL)",
                    "window.start": "\(window.start)", "window.end": "\(window.end)",
                ])
                await hub.startRelay(stream)
            } catch {
                logger.error("scheduled relay not opened", metadata: ["relay.schedule": "\(rule.id)", "window": "\(window.id)", "error": "\(error)"])
            }
        }
    }
}
