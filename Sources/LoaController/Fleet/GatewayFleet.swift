import Foundation
import LoaProtocol
import LoaSchedule
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The controller's side of every gateway connection: registers sessions, keeps each gateway's
/// schedule current, serves content, stores what gateways report, and delivers commands and
/// announcements. Each connection is worked through by one task, in order; the fleet itself
/// keeps no per-gateway thread and never walks all gateways on an event.
public final class GatewayFleet: Sendable {
    public let store: any ControllerStore
    public let content: ContentStore
    public let registry: SessionRegistry
    let schedules: GatewayScheduleSource
    let chunkBytes: Int
    let now: @Sendable () -> Date
    let logger: Logger
    /// Counters for `/metrics`; the server's byte counter and the API share the same instance.
    public let metrics: ControllerMetrics
    let commandResults = CommandResultWaiters()
    /// Clamps and rate-limits what gateways report about their health.
    let healthIntake: NIOLockedValueBox<HealthIntake>
    /// Told of each gateway that completes its handshake, after its schedule and announcements
    /// (the live hub sends it the streams on air in its area).
    private let readyObservers = NIOLockedValueBox<[@Sendable (GatewayConnection) async -> Void]>([])
    /// Set by `markSeen` when the server drains: closing sessions then write nothing one by one.
    private let draining = NIOLockedValueBox(false)
    /// The missed sweep's progress per gateway: occurrences ending up to here are done.
    let missedSweptUntil = NIOLockedValueBox<[String: Date]>([:])
    /// Told of every gateway that connects, disconnects or reports its health.
    public let changes = FleetChanges()
    /// Health reports and as-played events of many gateways, each batch in one transaction.
    let healthWriter: BatchedWriter<HealthSample>
    let playEventWriter: BatchedWriter<[PlayLogEntry]>
    /// Sessions begun and ended (a reconnect storm is thousands at once), likewise.
    let presenceWriter: BatchedWriter<PresenceChange>

    public init(store: any ControllerStore, content: ContentStore, registry: SessionRegistry = SessionRegistry(),
                timeZone: String = GatewaySchedule.defaultTimeZone, chunkBytes: Int = 32 * 1024,
                now: @escaping @Sendable () -> Date = { Date() }, metrics: ControllerMetrics = ControllerMetrics(),
                healthLimits: HealthIntake.Limits = HealthIntake.Limits(), logger: Logger) {
        self.store = store
        self.healthIntake = NIOLockedValueBox(HealthIntake(limits: healthLimits))
        self.content = content
        self.registry = registry
        self.schedules = GatewayScheduleSource(store: store, timeZone: timeZone)
        self.chunkBytes = chunkBytes
        self.now = now
        self.metrics = metrics
        self.logger = logger
        self.healthWriter = BatchedWriter { samples throws(StoreError) in try await store.recordHealthReports(samples) }
        self.playEventWriter = BatchedWriter { batches throws(StoreError) in _ = try await store.recordPlayEvents(batches.flatMap { $0 }) }
        self.presenceWriter = BatchedWriter { changes throws(StoreError) in try await store.recordPresence(changes) }
    }

    // MARK: - For the API layer

    /// Re-pushes the schedule to those of `gatewayIDs` that are connected and whose schedule
    /// version moved. Call after any change to rules, bulletins, areas or gateways.
    public func notifyScheduleChanged(gatewayIDs: [String]) {
        for id in Set(gatewayIDs) { registry.link(for: id)?.requestSchedulePush() }
    }

    /// The same for a change aimed at an area: every gateway in its subtree.
    public func notifyScheduleChanged(area areaID: String) async throws(StoreError) {
        notifyScheduleChanged(gatewayIDs: try await store.gatewaysAffected(byChangeToArea: areaID))
    }

    /// Asks every connected gateway's worker to compare schedule versions: picks up changes made
    /// by another process (the `admin` subcommands) until those go through the API.
    public func recheckConnectedSchedules() {
        for link in registry.all { link.requestSchedulePush() }
    }

    /// The same for this tick's slice of the gateways only: the daemon calls it every second,
    /// so each gateway is rechecked once per `rotation.periodSeconds` without a burst.
    public func recheckConnectedSchedules(_ rotation: ScheduleRecheckRotation, tick: Int) {
        for link in registry.all where rotation.isDue(link.gatewayID, atTick: tick) { link.requestSchedulePush() }
    }

    /// Sends a technician's command; returns its id (the result arrives as `commandResult`,
    /// which is logged and audited).
    @discardableResult
    public func send(_ action: CommandAction, to gatewayID: String, origin: AuditOrigin) async throws(FleetError) -> String {
        try await send(action, to: gatewayID, origin: origin, waitSeconds: 0).id
    }

    /// Sends a command and waits up to `waitSeconds` for the gateway's `commandResult`; the
    /// result is nil when it did not come in time (it is still logged and audited when it does).
    public func send(_ action: CommandAction, to gatewayID: String, origin: AuditOrigin,
                     waitSeconds: Double) async throws(FleetError) -> (id: String, result: CommandResult?) {
        let command = Command(id: UUID().uuidString.lowercased(), action: action)
        if waitSeconds > 0 { commandResults.expect(command.id) }
        do throws(FleetError) {
            try await deliver(.command(command), to: gatewayID)
        } catch {
            commandResults.forget(command.id)
            throw error
        }
        try? await store.appendAudit(action: "gateway.command", target: gatewayID,
                                     details: ["command.id": command.id, "action": "\(action)"], origin: origin)
        guard waitSeconds > 0 else { return (command.id, nil) }
        return (command.id, await commandResults.wait(command.id, seconds: waitSeconds))
    }

    /// Pushes an announcement to each of `gatewayIDs`; returns, per gateway, why it failed (empty when all were sent).
    public func announce(_ announcement: LoaProtocol.Announcement, to gatewayIDs: [String]) async -> [String: FleetError] {
        var failures: [String: FleetError] = [:]
        for id in Set(gatewayIDs) {
            do throws(FleetError) {
                registry.link(for: id)?.recordAnnounced(itemID: announcement.itemId, sha256: announcement.sha256.description)
                try await deliver(.announce(announcement), to: id)
            } catch {
                failures[id] = error
            }
        }
        return failures
    }

    /// Stops an announced item on each of `gatewayIDs`.
    public func stop(itemID: String, on gatewayIDs: [String]) async -> [String: FleetError] {
        var failures: [String: FleetError] = [:]
        for id in Set(gatewayIDs) {
            do throws(FleetError) { try await deliver(.stop(Stop(itemId: itemID)), to: id) } catch { failures[id] = error }
        }
        return failures
    }

    func deliver(_ message: Message, to gatewayID: String) async throws(FleetError) {
        guard let link = registry.link(for: gatewayID) else { throw .offline(gatewayID: gatewayID) }
        do {
            try await link.send(message)
            metrics.messageSent(type: message.frameType.name)
        } catch {
            throw .sendFailed(gatewayID: gatewayID, reason: "\(error)")
        }
    }

    // MARK: - Connection lifecycle

    /// Works through one connection's events until it closes.
    func serve(channel: any Channel, peer: String, inbox: ConnectionInbox) async {
        var link: GatewayConnection?
        var transfer: Task<Void, Never>?
        for await event in inbox.events {
            inbox.consumed()
            switch event {
            case .session(.ready(let id, _, _)):
                let ready = GatewayConnection(gatewayID: id, peer: peer, connectedAt: now(), channel: channel, inbox: inbox)
                link = ready
                await sessionReady(ready)
            case .session(.message(.contentRequest(let request))):
                guard let link else { continue }
                // One transfer per connection: a new request (a resume, or the next file) replaces the old.
                transfer?.cancel()
                await transfer?.value
                transfer = Task { await self.serveContent(request, to: link) }
            case .session(.message(let message)):
                metrics.messageReceived(type: message.frameType.name)
                if let link { await received(message, from: link) }
            case .session(.clockSample):
                break
            case .pushSchedule:
                if let link { await pushSchedule(to: link) }
            case .failed(let error):
                await sessionFailed(error, gatewayID: link?.gatewayID, peer: peer)
            }
        }
        transfer?.cancel()
        await transfer?.value
        if let link { await sessionClosed(link) }
    }

    func sessionReady(_ link: GatewayConnection) async {
        let logger = self.gatewayLogger(for: link)
        if let previous = registry.register(link) {
            logger.notice("gateway reconnected; closing its older connection", metadata: ["peer.previous": "\(previous.peer)"])
            previous.close()
        }
        logger.info("gateway online", metadata: ["peer.address": "\(link.peer)"])
        let connectedAt = now()
        changes.publish(link.gatewayID)
        await pushSchedule(to: link)
        await pushAnnouncements(to: link)
        for observer in readyObservers.withLockedValue({ $0 }) { await observer(link) }
        // Last: the batch's wait (up to 50 ms) must not hold the schedule, the announcements
        // or the live streams on air from the gateway.
        try? await presenceWriter.submit(PresenceChange(gatewayID: link.gatewayID, at: connectedAt, connected: true))
    }

    /// Calls `observer` for every gateway that becomes ready from now on, on its connection's worker.
    public func whenGatewayReady(_ observer: @escaping @Sendable (GatewayConnection) async -> Void) {
        readyObservers.withLockedValue { $0.append(observer) }
    }

    func sessionClosed(_ link: GatewayConnection) async {
        guard registry.remove(link) else { return }
        guard !draining.withLockedValue({ $0 }) else { return }
        try? await presenceWriter.submit(PresenceChange(gatewayID: link.gatewayID, at: now(), connected: false))
        changes.publish(link.gatewayID)
        gatewayLogger(for: link).info("gateway offline", metadata: ["peer.address": "\(link.peer)"])
    }

    /// The shutdown drain: records every connected gateway as seen now, in one transaction,
    /// and stops doing it per closing session (10 000 single writes would outlast the drain).
    func markSeen(_ links: [GatewayConnection]) async {
        draining.withLockedValue { $0 = true }
        do throws(StoreError) {
            try await store.markGatewaysSeen(links.map(\.gatewayID), at: now())
        } catch {
            logger.warning("could not record the gateways' last-seen times at shutdown", metadata: ["error": "\(error)"])
        }
    }

    /// Logs why a session closed; refused handshakes also go to the audit log with the peer address.
    func sessionFailed(_ error: ProtocolError, gatewayID: String?, peer: String) async {
        var logger = self.logger
        if let gatewayID { logger[metadataKey: "gateway.id"] = "\(gatewayID)" }
        let target: String?
        switch error {
        case .unknownGateway(let id, _, _), .wrongSecret(let id, _, _), .replayedNonce(let id): target = id
        case .throttled(let key, _): target = key
        case .heartbeatTimedOut:
            logger.notice("gateway missed its heartbeats; marked offline", metadata: ["error": "\(error)"])
            target = nil
        default:
            logger.notice("gateway session closed with an error", metadata: ["error": "\(error)", "peer.address": "\(peer)"])
            target = nil
        }
        metrics.sessionError(Self.metricsReason(error))
        guard let target else { return }
        logger.warning("gateway handshake refused", metadata: ["error": "\(error)", "peer.address": "\(peer)"])
        try? await store.appendAudit(action: "gateway.auth.refused", target: target,
                                     details: ["reason": error.description, "code": "\(error.code.rawValue)"],
                                     origin: AuditOrigin(actor: AuditOrigin.controller.actor, address: peer))
    }

    func gatewayLogger(for link: GatewayConnection) -> Logger {
        var logger = self.logger
        logger[metadataKey: "gateway.id"] = "\(link.gatewayID)"
        return logger
    }
}
