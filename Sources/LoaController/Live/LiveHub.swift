import Foundation
import LoaProtocol
import Logging
import NIOCore

/// The controller's live streams: which are open, which has its source connected, and the
/// fan-out of `liveStart` / `liveAudio` / `liveEnd` to the ready gateways of each stream's area
/// (also to a gateway that becomes ready while a stream is on air: `liveStart` first). Audio is
/// written without waiting and dropped for a gateway whose connection is backlogged, so one slow
/// link never holds up the others. The source side (transcoding, timing, pacing) runs in the
/// source request's task (`LiveSourcePump`); the hub only keeps state and writes.
public actor LiveHub {
    public nonisolated let settings: LiveSettings
    /// The fleet, as far as live needs it (`LiveAudience`).
    nonisolated let audience: any LiveAudience
    let store: any ControllerStore
    nonisolated let now: @Sendable () -> Date
    let logger: Logger
    /// Every decision about open streams (`LiveBook`); the hub performs what it returns.
    private var book = LiveBook<ObjectIdentifier>()
    /// Closes a source's HTTP connection (stop, controller stopping), by stream id.
    private var closeSources: [Int64: @Sendable () -> Void] = [:]
    /// Relays pulling their upstream and microphones being recorded, by stream id (`LiveRelay`, `LiveCapture`).
    private var relays: [Int64: Task<Void, Never>] = [:]
    /// Listeners of each stream (`listen`), by a number of their own.
    private var listeners: [Int64: [Int: AsyncStream<ByteBuffer>.Continuation]] = [:]
    private var nextListener = 0

    /// What the API shows of an open stream beyond the stored row.
    public struct Status: Sendable, Equatable {
        public var gateways: Int
        public var bytesReceived: Int64
        /// Since when a relay's upstream has been silent (nil: it has sound).
        public var silentSince: Date?
        public var listeners: Int = 0
    }

    public init(fleet: GatewayFleet, settings: LiveSettings, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.init(audience: fleet, store: fleet.store, settings: settings, now: now, logger: logger)
    }

    public init(audience: any LiveAudience, store: any ControllerStore, settings: LiveSettings,
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.audience = audience
        self.store = store
        self.settings = settings
        self.now = now
        var logger = logger
        logger[metadataKey: "component"] = "live"
        self.logger = logger
        audience.whenGatewayReady { [weak self] link in await self?.gatewayReady(link) }
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
        for id in book.stopAll() {
            await end(id, reason: LiveEndReason.controllerStopping, origin: .controller)
        }
        // Their upstreams were closed by `end`; each relay returns within a read.
        for task in relays.values { await task.value }
    }

    // MARK: - Relays

    /// Starts pulling a relay stream's upstream (`LiveRelay`): the stream goes on air at its
    /// first audio and ends with the relay.
    public func startRelay(_ stream: LiveStream) {
        guard let url = stream.relayURL, relays[stream.id] == nil, !book.stopping else { return }
        let relay = LiveRelay(stream: stream, url: url, hub: self, logger: logger)
        relays[stream.id] = Task {
            await relay.run()
            await self.relayFinished(stream.id)
        }
    }

    private func relayFinished(_ id: Int64) { relays[id] = nil }

    /// Starts recording a stream's `captureDevice` (`LiveCapture`); refused silently when the
    /// device is not one of `settings.captureDevices` (the API checked it).
    public func startCapture(_ stream: LiveStream) {
        guard let name = stream.captureDevice, let device = settings.captureDevices[name], relays[stream.id] == nil, !book.stopping else { return }
        let capture = LiveCapture(stream: stream, device: device, hub: self, logger: logger)
        relays[stream.id] = Task {
            await capture.run()
            await self.relayFinished(stream.id)
        }
    }

    // MARK: - Source side

    /// A source connects: refused when the stream has ended or already has a source.
    public func attachSource(_ id: Int64, closeSource: @escaping @Sendable () -> Void) async throws(LiveHubError) -> LiveStream {
        guard !book.stopping else { throw .stopping }
        let stream: LiveStream
        do { stream = try await store.liveStream(id) } catch { throw .store(error) }
        try book.attach(stream)
        closeSources[id] = closeSource
        return stream
    }

    /// A source went away before any audio (refused as not MP3, or sent nothing): the stream
    /// stays waiting for another try.
    public func detachSource(_ id: Int64) {
        book.detach(id)
        if !book.isOpen(id) { closeSources[id] = nil }
    }

    /// The first source audio arrived: the stream goes on air with `startAt` and every ready
    /// gateway of its area gets `liveStart`. Nil when the stream was stopped meanwhile.
    func goOnAir(_ id: Int64, startAtMs: Int64) async -> LiveStart? {
        guard let areaID = book.relays[id]?.stream.areaID else { return nil }
        let stream: LiveStream
        let targets: [String]
        do {
            stream = try await store.markLiveStreamOnAir(id, at: now())
            targets = try await store.gatewaysAffected(byChangeToArea: areaID)
        } catch {
            logger.error("live stream could not go on air", metadata: ["live.id": "\(id)", "error": "\(error)"])
            return nil
        }
        let start = LiveStart(streamId: UInt32(truncatingIfNeeded: id), priority: stream.priority, startAt: startAtMs,
                              sampleRate: UInt32(settings.encoder.sampleRate), channels: UInt8(settings.encoder.channels),
                              bitrateKbps: settings.bitrateKbps, onBusy: stream.onBusy,
                              onInterrupt: stream.onInterrupt)
        guard let sends = book.goOnAir(id, stream: stream, start: start, targets: targets, connection: connection) else { return nil }
        perform(sends)
        logger.notice("live stream on air", metadata: [
            "live.id": "\(id)", "area.id": "\(stream.areaID)", "live.startAt": "\(startAtMs)",
            "gateways.ready": "\(sends.count)", "gateways.area": "\(targets.count)",
        ])
        return start
    }

    /// Sends one payload to every ready gateway of the stream's area; false when the stream is
    /// no longer open (stopped), so the source should stop.
    func publish(_ id: Int64, _ audio: LiveAudio, bytesReceived: Int64) -> Bool {
        guard let sends = book.publish(id, audio, bytesReceived: bytesReceived, connection: connection) else { return false }
        let (sent, dropped) = perform(sends)
        book.delivered(id, sent: sent, dropped: dropped)
        feedListeners(id, audio.mp3)
        return true
    }

    /// Source bytes so far, for the list while no payload has gone out yet.
    func received(_ id: Int64, bytes: Int64) {
        book.received(id, bytes: bytes)
    }

    /// A relay's upstream went silent (since `since`) or has sound again (nil), for the API.
    func silent(_ id: Int64, since: Date?) {
        book.silent(id, since: since)
    }

    /// Whether the stream still has its relay (not stopped).
    func isOpen(_ id: Int64) -> Bool { book.isOpen(id) }

    /// Ends an open stream: `liveEnd` to every gateway that has it, the source connection closed
    /// (unless the source itself ended), the row marked ended.
    func end(_ id: Int64, reason: String, storedReason: String? = nil, origin: AuditOrigin, closeSource: Bool = true) async {
        guard let (relay, sends) = book.end(id, reason: reason, connection: connection) else { return }
        perform(sends)
        finishListeners(id)
        let close = closeSources.removeValue(forKey: id)
        if closeSource { close?() }
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
        if book.isOpen(id) {
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
            finishListeners(id)
        }
        do { return try await store.liveStream(id) } catch { throw .store(error) }
    }

    /// Gateways currently sent to and bytes received, for an open stream.
    public func status(_ id: Int64) -> Status? {
        guard var status = book.status(id, connection: connection) else { return nil }
        status.listeners = listeners(of: id)
        return status
    }

    // MARK: - Listeners

    /// A listener joins stream `id` (waiting or on air): from the next payload on it gets the
    /// MP3 the gateways get, as one `ByteBuffer` shared by every listener, until the stream ends.
    /// One that falls `LiveSettings.listenerBacklog` payloads behind is cut loose (its stream
    /// finishes), so a slow listener never holds up the gateways or the others. Refused when the
    /// stream has ended or `maxListeners` are listening.
    public func listen(_ id: Int64) async throws(LiveHubError) -> AsyncStream<ByteBuffer> {
        guard !book.stopping else { throw .stopping }
        let stream: LiveStream
        do { stream = try await store.liveStream(id) } catch { throw .store(error) }
        guard stream.state != .ended else { throw .ended(id: id, reason: stream.endReason) }
        guard listenerCount < settings.maxListeners else { throw .tooManyListeners(settings.maxListeners) }
        let number = nextListener
        nextListener += 1
        let (audio, continuation) = AsyncStream.makeStream(of: ByteBuffer.self,
                                                           bufferingPolicy: .bufferingOldest(settings.listenerBacklog))
        continuation.onTermination = { [weak self] _ in Task { await self?.removeListener(id, number) } }
        listeners[id, default: [:]][number] = continuation
        logger.info("live listener joined", metadata: ["live.id": "\(id)", "live.listeners": "\(listeners[id]?.count ?? 0)"])
        return audio
    }

    /// Listeners of stream `id` now, waiting or on air.
    public func listeners(of id: Int64) -> Int { listeners[id]?.count ?? 0 }

    /// The stream on air that an area's loudspeakers carry: the highest priority of those on air
    /// for the area or one above it (the newest on a tie). Nil when nothing is on air there.
    public func onAir(forArea areaID: String) async throws(LiveHubError) -> Int64? {
        let above: [Area]
        do { above = try await store.ancestors(of: areaID) } catch { throw .store(error) }
        let covering = Set([areaID] + above.map(\.id))
        return book.relays.values
            .filter { $0.start != nil && covering.contains($0.stream.areaID) }
            .max { ($0.stream.priority, $0.stream.id) < ($1.stream.priority, $1.stream.id) }?.stream.id
    }

    private var listenerCount: Int { listeners.values.reduce(0) { $0 + $1.count } }

    private func removeListener(_ id: Int64, _ number: Int) {
        guard listeners[id]?.removeValue(forKey: number) != nil else { return }
        if listeners[id]?.isEmpty == true { listeners[id] = nil }
        logger.info("live listener left", metadata: ["live.id": "\(id)", "live.listeners": "\(listeners[id]?.count ?? 0)"])
    }

    /// One payload to every listener of the stream; a listener whose backlog is full is cut loose.
    private func feedListeners(_ id: Int64, _ mp3: [UInt8]) {
        guard let current = listeners[id], !current.isEmpty else { return }
        let buffer = ByteBuffer(bytes: mp3)
        for (number, continuation) in current {
            if case .dropped = continuation.yield(buffer) {
                listeners[id]?[number] = nil
                continuation.finish()
                audience.countListenerCut()
                logger.notice("live listener cut loose: too far behind", metadata: ["live.id": "\(id)", "listener": "\(number)"])
            }
        }
    }

    /// The stream ended: every listener's response ends.
    private func finishListeners(_ id: Int64) {
        for continuation in (listeners.removeValue(forKey: id) ?? [:]).values { continuation.finish() }
    }

    // MARK: - Gateways

    /// A gateway completed its handshake: if it belongs to the area of a stream on air, it gets
    /// `liveStart` now (before any of its `liveAudio`).
    func gatewayReady(_ link: GatewayConnection) async {
        for (id, areaID) in book.onAir {
            let members: [String]
            do { members = try await store.gatewaysAffected(byChangeToArea: areaID) } catch { continue }
            guard members.contains(link.gatewayID),
                  let send = book.gatewayReady(link.gatewayID, connection: ObjectIdentifier(link), stream: id) else { continue }
            perform([send])
            logger.info("live stream sent to a gateway that connected while on air", metadata: [
                "live.id": "\(id)", "gateway.id": "\(link.gatewayID)",
            ])
        }
    }

    /// The gateway's current connection, as the book identifies it.
    private nonisolated func connection(_ gatewayID: String) -> ObjectIdentifier? {
        audience.connection(for: gatewayID).map(ObjectIdentifier.init)
    }

    /// Writes each send on its connection if that is still the gateway's; returns how many
    /// audio payloads went out and how many were dropped for a backlogged connection.
    @discardableResult
    private func perform(_ sends: [LiveBook<ObjectIdentifier>.Send]) -> (sent: Int, dropped: Int) {
        var sent = 0, dropped = 0
        for send in sends {
            guard let link = audience.connection(for: send.gatewayID), ObjectIdentifier(link) == send.connection else { continue }
            let type = send.message.frameType
            if link.sendLive(send.message, dropWhenBacklogged: send.dropWhenBacklogged) {
                if type == .liveAudio { sent += 1 }
                audience.countLiveSent(type)
            } else {
                dropped += 1
                audience.countLiveDropped(gatewayID: send.gatewayID)
                if case .liveAudio(let audio) = send.message {
                    logger.debug("live payload dropped for a backlogged gateway", metadata: [
                        "live.id": "\(audio.streamId)", "gateway.id": "\(send.gatewayID)", "live.sequence": "\(audio.sequence)",
                    ])
                }
            }
        }
        return (sent, dropped)
    }
}

/// The reasons a stream ends, as sent in `liveEnd` and stored.
public enum LiveEndReason {
    public static let sourceEnded = "source ended"
    public static let stoppedByOperator = "stopped by operator"
    public static let controllerStopping = "controller stopping"
    public static let controllerRestarted = "controller restarted"
    /// A scheduled relay's window ended.
    public static let scheduleEnded = "scheduled end"
}

/// Why the hub refused a source or a stop.
public enum LiveHubError: Error, Equatable, Sendable, CustomStringConvertible {
    case ended(id: Int64, reason: String?)
    case sourceConnected(id: Int64)
    case stopping
    case tooManyListeners(Int)
    case store(StoreError)

    public var description: String {
        switch self {
        case let .ended(id, reason):
            return "live stream \(id) has ended (\(reason ?? "no reason")); create a new one with POST /api/v1/live"
        case let .sourceConnected(id):
            return "live stream \(id) already has a source connected; stop that encoder first, or stop the stream"
        case .stopping:
            return "the controller is shutting down; try again when it is back"
        case let .tooManyListeners(limit):
            return "\(limit) listeners are already listening (live.max_listeners); try again later"
        case let .store(error):
            return error.description
        }
    }
}
