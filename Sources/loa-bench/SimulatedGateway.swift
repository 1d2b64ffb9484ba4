import LoaProtocol
import NIOCore

/// The application end of one simulated gateway, above LoaProtocol's `GatewaySessionHandler`
/// (which does the handshake, heartbeats and clock requests): acknowledges schedules, fetches
/// the content they name (counting the bytes, keeping none), sends health reports and
/// as-played events on timers with a random phase, and notes clock round trips. No audio.
final class SimulatedGateway: ChannelInboundHandler {
    typealias InboundIn = SessionEvent
    typealias OutboundOut = Message

    struct Behaviour: Sendable {
        var healthSeconds: Int64
        var playSeconds: Int64
        var fetchContent: Bool
    }

    private let gatewayID: String
    private let behaviour: Behaviour
    private let tally: FleetTally
    private let connectStartedNs: UInt64
    private let onReady: @Sendable (Bool) -> Void
    private var isReady = false
    private var timers: [String: Scheduled<Void>] = [:]
    /// Content to fetch, in order; the head is being transferred.
    private var wanted: [ContentHash] = []
    private var fetched: Set<ContentHash> = []
    private var eventNumber = 0

    /// `onReady(true)` when the handshake completes, `onReady(false)` when a ready session closes.
    init(gatewayID: String, behaviour: Behaviour, tally: FleetTally, connectStartedNs: UInt64,
         onReady: @escaping @Sendable (Bool) -> Void) {
        self.gatewayID = gatewayID
        self.behaviour = behaviour
        self.tally = tally
        self.connectStartedNs = connectStartedNs
        self.onReady = onReady
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .ready:
            isReady = true
            let ms = Double(NIODeadline.now().uptimeNanoseconds - connectStartedNs) / 1e6
            tally.update { $0.handshakes += 1; $0.ready += 1; $0.handshakeMs.append(ms) }
            onReady(true)
            startTimers(context: context)
        case .clockSample(let sample):
            let ms = Double(sample.t4 - sample.t1) / 1e6
            tally.update { $0.rttMs.append(ms) }
        case .message(let message):
            received(message, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timers.values.forEach { $0.cancel() }
        timers = [:]
        if isReady {
            isReady = false
            tally.update { $0.ready -= 1; $0.closedByPeer += 1 }
            onReady(false)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func received(_ message: Message, context: ChannelHandlerContext) {
        switch message {
        case .scheduleUpdate(let update):
            tally.update { $0.scheduleUpdates += 1 }
            send(.scheduleAck(ScheduleAck(version: update.version)), context: context)
            guard behaviour.fetchContent else { return }
            let idle = wanted.isEmpty
            for hash in Self.contentHashes(in: update.document) where !fetched.contains(hash) && !wanted.contains(hash) {
                wanted.append(hash)
            }
            if idle, let next = wanted.first { send(.contentRequest(ContentRequest(sha256: next, offset: 0)), context: context) }
        case .contentChunk(let chunk):
            let count = chunk.bytes.count
            tally.update { $0.contentBytes += count }
        case .contentEnd(let end):
            fetched.insert(end.sha256)
            wanted.removeAll { $0 == end.sha256 }
            if let next = wanted.first { send(.contentRequest(ContentRequest(sha256: next, offset: 0)), context: context) }
        case .playEventsAck(let ack):
            let count = ack.ids.count
            tally.update { $0.playEventsAcked += count }
        default:
            break
        }
    }

    private func startTimers(context: ChannelHandlerContext) {
        if behaviour.healthSeconds > 0 {
            every("health", first: Self.phase(behaviour.healthSeconds), .seconds(behaviour.healthSeconds), context: context) { [self] in
                send(.healthReport(Self.health), context: context)
                tally.update { $0.healthReports += 1 }
            }
        }
        if behaviour.playSeconds > 0 {
            every("play", first: Self.phase(behaviour.playSeconds), .seconds(behaviour.playSeconds), context: context) { [self] in
                sendPlayEvents(context: context)
            }
        }
    }

    /// Runs `body` after `first`, then every `interval`, while the session is ready.
    private func every(_ name: String, first: TimeAmount, _ interval: TimeAmount, context: ChannelHandlerContext,
                       _ body: @escaping () -> Void) {
        timers[name] = context.eventLoop.assumeIsolated().scheduleTask(in: first) { [self] in
            guard isReady else { return }
            body()
            every(name, first: interval, interval, context: context, body)
        }
    }

    private func sendPlayEvents(context: ChannelHandlerContext) {
        let now = Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000) + Self.epochOffsetMs
        eventNumber += 1
        let item = "rule-1@\(now / 1000)#0"
        let events = [
            PlayEvent(id: "\(gatewayID)-\(eventNumber)-s", itemId: item, kind: .started, at: now - 30_000),
            PlayEvent(id: "\(gatewayID)-\(eventNumber)-f", itemId: item, kind: .finished, at: now, positionMs: 30_000),
        ]
        send(.playEvents(PlayEventBatch(events: events)), context: context)
    }

    private func send(_ message: Message, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(message), promise: nil)
    }

    /// A full report as a Raspberry Pi gateway sends it every 15 minutes (~420 bytes).
    static let health = HealthReport(
        uptimeSeconds: 86_400, load1: 0.12, memoryUsedBytes: 180_000_000, memoryTotalBytes: 1_000_000_000,
        diskFreeBytes: 20_000_000_000, diskTotalBytes: 31_000_000_000, temperatureCelsius: 48.5, linkRttMs: 42,
        clockOffsetMs: 1.5, alsaState: "PREPARED", amplifierOn: false, volumePercent: 80, cacheUsedBytes: 12_000_000,
        cacheItems: 14, lastErrors: [], softwareVersion: "loa-bench", serviceUptimeSeconds: 86_000,
        clockSync: ClockSyncReport(driftPpm: 3.2, boundMs: 4.1, exchanges: 48))

    /// Wall-clock ms minus uptime ms, fixed at start (play events carry wall-clock ms).
    static let epochOffsetMs: Int64 = WallClock.system.nowMs() - Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000)

    /// A random first delay within one period, so timers of gateways ready together spread out.
    static func phase(_ seconds: Int64) -> TimeAmount {
        .milliseconds(Int64.random(in: 0..<(seconds * 1000)))
    }

    /// The `"sha256":"<64 hex>"` values in a schedule document (LoaSchedule's JSON), without
    /// decoding it: the bench only needs the content names.
    static func contentHashes(in document: [UInt8]) -> [ContentHash] {
        let key = Array("\"sha256\":\"".utf8)
        var hashes: [ContentHash] = []
        var i = 0
        while i + key.count + 64 <= document.count {
            if document[i] == key[0], Array(document[i..<(i + key.count)]) == key {
                let start = i + key.count
                if let hash = ContentHash(hex: String(decoding: document[start..<(start + 64)], as: UTF8.self)),
                   !hashes.contains(hash) {
                    hashes.append(hash)
                }
                i = start + 64
            } else {
                i += 1
            }
        }
        return hashes
    }
}
