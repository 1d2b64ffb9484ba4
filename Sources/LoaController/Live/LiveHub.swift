import Foundation
import LoaProtocol
import Logging

/// The controller's live streams: which are open, which has its source connected, and the
/// fan-out of `liveStart` / `liveAudio` / `liveEnd` to the ready gateways of each stream's area
/// (also to a gateway that becomes ready while a stream is on air: `liveStart` first). Audio is
/// written without waiting and dropped for a gateway whose connection is backlogged, so one slow
/// link never holds up the others. The source side (transcoding, timing, pacing) runs in the
/// source request's task (`LiveSourcePump`); the hub only keeps state and writes.
public actor LiveHub {
    public nonisolated let settings: LiveSettings
    let fleet: GatewayFleet
    var store: any ControllerStore { fleet.store }
    nonisolated let now: @Sendable () -> Date
    let logger: Logger
    private var relays: [Int64: Relay] = [:]
    private var stopping = false

    /// One open stream with its source attached.
    struct Relay {
        var stream: LiveStream
        /// Closes the source's HTTP connection (stop, controller stopping).
        var closeSource: @Sendable () -> Void
        /// Set once the first source audio arrived.
        var start: LiveStart?
        /// Gateways of the stream's area.
        var targets: Set<String> = []
        /// Gateway id → the connection that got `liveStart` (a reconnect gets it again).
        var joined: [String: ObjectIdentifier] = [:]
        var bytesReceived: Int64 = 0
        var payloadsSent = 0
        var payloadsDropped = 0
    }

    /// What the API shows of an open stream beyond the stored row.
    public struct Status: Sendable, Equatable {
        public var gateways: Int
        public var bytesReceived: Int64
    }

    public init(fleet: GatewayFleet, settings: LiveSettings, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.fleet = fleet
        self.settings = settings
        self.now = now
        var logger = logger
        logger[metadataKey: "component"] = "live"
        self.logger = logger
        fleet.whenGatewayReady { [weak self] link in await self?.gatewayReady(link) }
    }

    // MARK: - Lifecycle

    /// At controller start: streams a previous run left waiting or on air are ended.
    public func recoverAfterRestart() async {
        do {
            let ids = try await store.endAbandonedLiveStreams(at: now(), reason: LiveEndReason.controllerRestarted)
            if !ids.isEmpty { logger.notice("live streams left open by the previous run ended", metadata: ["live.ids": "\(ids)"]) }
        } catch {
            logger.error("live streams left open could not be ended", metadata: ["error": "\(error)"])
        }
    }

    /// On SIGTERM, before the HTTP server drains: ends every open stream (`controller stopping`)
    /// and closes the source connections, and refuses new sources.
    public func stopAll() async {
        stopping = true
        for id in relays.keys.sorted() {
            await end(id, reason: LiveEndReason.controllerStopping, origin: .controller)
        }
    }

    // MARK: - Source side

    /// A source connects: refused when the stream has ended or already has a source.
    public func attachSource(_ id: Int64, closeSource: @escaping @Sendable () -> Void) async throws(LiveHubError) -> LiveStream {
        guard !stopping else { throw .stopping }
        let stream: LiveStream
        do { stream = try await store.liveStream(id) } catch { throw .store(error) }
        guard stream.state != .ended else { throw .ended(id: id, reason: stream.endReason) }
        guard relays[id] == nil else { throw .sourceConnected(id: id) }
        relays[id] = Relay(stream: stream, closeSource: closeSource)
        return stream
    }

    /// A source went away before any audio (refused as not MP3, or sent nothing): the stream
    /// stays waiting for another try.
    public func detachSource(_ id: Int64) {
        guard let relay = relays[id], relay.start == nil else { return }
        relays[id] = nil
    }

    /// The first source audio arrived: the stream goes on air with `startAt` and every ready
    /// gateway of its area gets `liveStart`. Nil when the stream was stopped meanwhile.
    func goOnAir(_ id: Int64, startAtMs: Int64) async -> LiveStart? {
        guard var relay = relays[id] else { return nil }
        let stream: LiveStream
        let targets: [String]
        do {
            stream = try await store.markLiveStreamOnAir(id, at: now())
            targets = try await store.gatewaysAffected(byChangeToArea: relay.stream.areaID)
        } catch {
            logger.error("live stream could not go on air", metadata: ["live.id": "\(id)", "error": "\(error)"])
            return nil
        }
        guard let current = relays[id] else { return nil }
        relay = current
        let start = LiveStart(streamId: UInt32(truncatingIfNeeded: id), priority: stream.priority, startAt: startAtMs,
                              sampleRate: UInt32(settings.encoder.sampleRate), channels: UInt8(settings.encoder.channels),
                              bitrateKbps: settings.bitrateKbps, onBusy: stream.onBusy,
                              onInterrupt: stream.onInterrupt)
        relay.stream = stream
        relay.start = start
        relay.targets = Set(targets)
        for gatewayID in targets.sorted() {
            guard let link = fleet.registry.link(for: gatewayID) else { continue }
            join(link, start: start, relay: &relay)
        }
        relays[id] = relay
        logger.notice("live stream on air", metadata: [
            "live.id": "\(id)", "area.id": "\(stream.areaID)", "live.startAt": "\(startAtMs)",
            "gateways.ready": "\(relay.joined.count)", "gateways.area": "\(targets.count)",
        ])
        return start
    }

    /// Sends one payload to every ready gateway of the stream's area; false when the stream is
    /// no longer open (stopped), so the source should stop.
    func publish(_ id: Int64, _ audio: LiveAudio, bytesReceived: Int64) -> Bool {
        guard var relay = relays[id], let start = relay.start else { return relays[id] != nil }
        relay.bytesReceived = bytesReceived
        for gatewayID in relay.targets {
            guard let link = fleet.registry.link(for: gatewayID) else {
                relay.joined[gatewayID] = nil
                continue
            }
            if relay.joined[gatewayID] != ObjectIdentifier(link) { join(link, start: start, relay: &relay) }
            if link.sendLive(.liveAudio(audio), dropWhenBacklogged: true) {
                relay.payloadsSent += 1
                fleet.metrics.messageSent(type: FrameType.liveAudio.name)
            } else {
                relay.payloadsDropped += 1
                fleet.metrics.livePayloadDropped(gatewayID: gatewayID)
                logger.debug("live payload dropped for a backlogged gateway", metadata: [
                    "live.id": "\(id)", "gateway.id": "\(gatewayID)", "live.sequence": "\(audio.sequence)",
                ])
            }
        }
        relays[id] = relay
        return true
    }

    /// Source bytes so far, for the list while no payload has gone out yet.
    func received(_ id: Int64, bytes: Int64) {
        relays[id]?.bytesReceived = bytes
    }

    /// Whether the stream still has its relay (not stopped).
    func isOpen(_ id: Int64) -> Bool { relays[id] != nil }

    /// Ends an open stream: `liveEnd` to every gateway that has it, the source connection closed
    /// (unless the source itself ended), the row marked ended.
    func end(_ id: Int64, reason: String, storedReason: String? = nil, origin: AuditOrigin, closeSource: Bool = true) async {
        guard let relay = relays.removeValue(forKey: id) else { return }
        if relay.start != nil {
            let message = Message.liveEnd(LiveEnd(streamId: UInt32(truncatingIfNeeded: id), reason: reason))
            for (gatewayID, identity) in relay.joined {
                guard let link = fleet.registry.link(for: gatewayID), ObjectIdentifier(link) == identity else { continue }
                link.sendLive(message, dropWhenBacklogged: false)
                fleet.metrics.messageSent(type: FrameType.liveEnd.name)
            }
        }
        if closeSource { relay.closeSource() }
        do {
            _ = try await store.endLiveStream(id, at: now(), reason: storedReason ?? reason, bytesReceived: relay.bytesReceived,
                                              origin: origin)
        } catch {
            logger.error("live stream end not stored", metadata: ["live.id": "\(id)", "error": "\(error)"])
        }
        logger.notice("live stream ended", metadata: [
            "live.id": "\(id)", "live.reason": "\(storedReason ?? reason)", "live.bytes": "\(relay.bytesReceived)",
            "live.payloads.sent": "\(relay.payloadsSent)", "live.payloads.dropped": "\(relay.payloadsDropped)",
        ])
    }

    // MARK: - Operator side

    /// DELETE: ends the stream whether or not a source is connected; refused when it has ended.
    public func stop(_ id: Int64, origin: AuditOrigin) async throws(LiveHubError) -> LiveStream {
        if relays[id] != nil {
            await end(id, reason: LiveEndReason.stoppedByOperator, origin: origin)
        } else {
            let stream: LiveStream
            do { stream = try await store.liveStream(id) } catch { throw .store(error) }
            guard stream.state != .ended else { throw .ended(id: id, reason: stream.endReason) }
            do {
                _ = try await store.endLiveStream(id, at: now(), reason: LiveEndReason.stoppedByOperator, bytesReceived: 0, origin: origin)
            } catch {
                throw .store(error)
            }
        }
        do { return try await store.liveStream(id) } catch { throw .store(error) }
    }

    /// Gateways currently sent to and bytes received, for an open stream.
    public func status(_ id: Int64) -> Status? {
        guard let relay = relays[id] else { return nil }
        let current = relay.joined.filter { gatewayID, identity in
            fleet.registry.link(for: gatewayID).map { ObjectIdentifier($0) == identity } ?? false
        }
        return Status(gateways: current.count, bytesReceived: relay.bytesReceived)
    }

    // MARK: - Gateways

    /// A gateway completed its handshake: if it belongs to the area of a stream on air, it gets
    /// `liveStart` now (before any of its `liveAudio`).
    func gatewayReady(_ link: GatewayLink) async {
        for id in relays.keys.sorted() {
            guard let areaID = relays[id]?.stream.areaID, relays[id]?.start != nil else { continue }
            let members: [String]
            do { members = try await store.gatewaysAffected(byChangeToArea: areaID) } catch { continue }
            guard members.contains(link.gatewayID), var relay = relays[id], let start = relay.start else { continue }
            relay.targets.insert(link.gatewayID)
            join(link, start: start, relay: &relay)
            relays[id] = relay
            logger.info("live stream sent to a gateway that connected while on air", metadata: [
                "live.id": "\(id)", "gateway.id": "\(link.gatewayID)",
            ])
        }
    }

    private func join(_ link: GatewayLink, start: LiveStart, relay: inout Relay) {
        link.sendLive(.liveStart(start), dropWhenBacklogged: false)
        fleet.metrics.messageSent(type: FrameType.liveStart.name)
        relay.joined[link.gatewayID] = ObjectIdentifier(link)
    }
}

/// The reasons a stream ends, as sent in `liveEnd` and stored.
public enum LiveEndReason {
    public static let sourceEnded = "source ended"
    public static let stoppedByOperator = "stopped by operator"
    public static let controllerStopping = "controller stopping"
    public static let controllerRestarted = "controller restarted"
}

/// Why the hub refused a source or a stop.
public enum LiveHubError: Error, Equatable, Sendable, CustomStringConvertible {
    case ended(id: Int64, reason: String?)
    case sourceConnected(id: Int64)
    case stopping
    case store(StoreError)

    public var description: String {
        switch self {
        case let .ended(id, reason):
            return "live stream \(id) has ended (\(reason ?? "no reason")); create a new one with POST /api/v1/live"
        case let .sourceConnected(id):
            return "live stream \(id) already has a source connected; stop that encoder first, or stop the stream"
        case .stopping:
            return "the controller is shutting down; try again when it is back"
        case let .store(error):
            return error.description
        }
    }
}
