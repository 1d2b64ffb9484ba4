import Foundation
import LoaSchedule
import Logging

/// Opens each scheduled relay's window, and each program's relay item, as a relay stream of its area (pulled by `LiveRelay`,
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
        let relays: [RelayOpening]
        do { relays = try await openings(now: now) } catch {
            logger.error("scheduled relays not read", metadata: ["error": "\(error)"])
            return
        }
        let plan = timetable.plan(relays: relays, timeZone: timeZone, now: now)
        for stream in plan.close {
            await hub.end(stream, reason: LiveEndReason.scheduleEnded, origin: .controller)
        }
        for (relay, window) in plan.open {
            let source = relay.programItem ?? "relay schedule \(relay.relayScheduleID ?? 0)"
            do {
                let key = LoginToken.random()
                let stream = try await store.createLiveStream(
                    NewLiveStream(areaID: relay.areaID, title: relay.entry.title, priority: relay.entry.priority.rawValue, onBusy: relay.onBusy,
                                  onInterrupt: relay.onInterrupt, sourceKeySHA256: key.sha256, relayURL: relay.relayURL,
                                  listenKey: LoginToken.random().value, relayScheduleID: relay.relayScheduleID, windowStart: window.start,
                                  programItem: relay.programItem),
                    origin: AuditOrigin(actor: relay.createdBy))
                timetable.opened(window.id, stream: stream.id)
                logger.notice("scheduled relay opened", metadata: [
                    "relay.for": "\(source)", "window": "\(window.id)", "live.id": "\(stream.id)", "relay.url": "\(relay.relayURL)",
                    "window.start": "\(window.start)", "window.end": "\(window.end)",
                ])
                await hub.startRelay(stream)
            } catch {
                logger.error("scheduled relay not opened", metadata: ["relay.for": "\(source)", "window": "\(window.id)", "error": "\(error)"])
            }
        }
    }

    /// The scheduled relays' rules and the programs' relay items (only programs that have one
    /// are laid out: their bulletins' lengths place the relay, their placed bulletins shape a day).
    private func openings(now: Date) async throws(StoreError) -> [RelayOpening] {
        var openings = try await store.allRelaySchedules().map(RelayOpening.init(rule:))
        for program in try await store.programsWithRelays() {
            let material = try await ProgramMaterial.read(from: store, for: [program], timeZone: timeZone, now: now)
            openings += RelayOpening.program(program, bulletins: material.bulletins, insertions: material.insertions)
        }
        return openings
    }
}
