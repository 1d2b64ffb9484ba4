import Foundation
import LoaProtocol

/// The live hub's bookkeeping as a value: which streams are open, which has gone on air with
/// which `liveStart`, which gateways got that start over which connection, and the counters.
/// Every decision returns the sends to perform; `LiveHub` (an actor) performs them on the
/// fleet's connections and feeds back what could not be sent. No store, socket or clock here,
/// so every rule is tested with plain values (`LiveBookTests`).
///
/// `Connection` identifies one gateway connection (the hub uses the link's `ObjectIdentifier`):
/// a gateway that reconnected has a new one and must get `liveStart` again before any audio.
struct LiveBook<Connection: Hashable & Sendable>: Sendable {
    /// One open stream with its source attached.
    struct Relay: Sendable {
        var stream: LiveStream
        /// Set once the first source audio arrived.
        var start: LiveStart?
        /// Gateways of the stream's area.
        var targets: Set<String> = []
        /// Gateway id → the connection that got `liveStart`.
        var joined: [String: Connection] = [:]
        var bytesReceived: Int64 = 0
        /// Set while a relay's upstream is reported silent (`SilenceWatch`): since when.
        var silentSince: Date?
        var payloadsSent = 0
        var payloadsDropped = 0
    }

    /// A message for one gateway over one connection; performed only if that connection is
    /// still the gateway's.
    struct Send: Equatable, Sendable {
        var gatewayID: String
        var connection: Connection
        var message: Message
        /// Audio may be dropped for a backlogged connection; starts and ends never are.
        var dropWhenBacklogged: Bool
    }

    private(set) var relays: [Int64: Relay] = [:]
    /// Set by `stopAll`: no new source is accepted.
    private(set) var stopping = false

    /// A source connects for `stream` (as read from the store): refused when the controller is
    /// stopping, the stream has ended or already has a source.
    mutating func attach(_ stream: LiveStream) throws(LiveHubError) {
        guard !stopping else { throw .stopping }
        guard stream.state != .ended else { throw .ended(id: stream.id, reason: stream.endReason) }
        guard relays[stream.id] == nil else { throw .sourceConnected(id: stream.id) }
        relays[stream.id] = Relay(stream: stream)
    }

    /// A source went away before any audio: the stream stays waiting for another try.
    mutating func detach(_ id: Int64) {
        guard let relay = relays[id], relay.start == nil else { return }
        relays[id] = nil
    }

    /// The stream goes on air: `liveStart` to every target gateway that has a connection.
    /// Nil when the stream was stopped meanwhile.
    mutating func goOnAir(_ id: Int64, stream: LiveStream, start: LiveStart, targets: [String],
                          connection: (String) -> Connection?) -> [Send]? {
        guard var relay = relays[id] else { return nil }
        relay.stream = stream
        relay.start = start
        relay.targets = Set(targets)
        var sends: [Send] = []
        for gatewayID in targets.sorted() {
            guard let current = connection(gatewayID) else { continue }
            sends.append(Self.join(gatewayID, current, start: start, relay: &relay))
        }
        relays[id] = relay
        return sends
    }

    /// One payload for every target with a connection (a `liveStart` first to a gateway whose
    /// connection has not had it). Nil when the stream is no longer open, so the source stops;
    /// empty while it has not gone on air.
    mutating func publish(_ id: Int64, _ audio: LiveAudio, bytesReceived: Int64,
                          connection: (String) -> Connection?) -> [Send]? {
        guard var relay = relays[id] else { return nil }
        relay.bytesReceived = bytesReceived
        guard let start = relay.start else {
            relays[id] = relay
            return []
        }
        var sends: [Send] = []
        for gatewayID in relay.targets.sorted() {
            guard let current = connection(gatewayID) else {
                relay.joined[gatewayID] = nil
                continue
            }
            if relay.joined[gatewayID] != current { sends.append(Self.join(gatewayID, current, start: start, relay: &relay)) }
            sends.append(Send(gatewayID: gatewayID, connection: current, message: .liveAudio(audio), dropWhenBacklogged: true))
        }
        relays[id] = relay
        return sends
    }

    /// What became of a publish's audio sends.
    mutating func delivered(_ id: Int64, sent: Int, dropped: Int) {
        relays[id]?.payloadsSent += sent
        relays[id]?.payloadsDropped += dropped
    }

    /// Source bytes so far, while no payload has gone out yet.
    mutating func received(_ id: Int64, bytes: Int64) {
        relays[id]?.bytesReceived = bytes
    }

    /// A relay's upstream went silent (`since`) or has sound again (nil).
    mutating func silent(_ id: Int64, since: Date?) {
        relays[id]?.silentSince = since
    }

    func isOpen(_ id: Int64) -> Bool { relays[id] != nil }

    /// Ends an open stream: the relay as it was, and `liveEnd` for every gateway whose joined
    /// connection is still its current one. Nil when it was not open.
    mutating func end(_ id: Int64, reason: String, connection: (String) -> Connection?) -> (relay: Relay, sends: [Send])? {
        guard let relay = relays.removeValue(forKey: id) else { return nil }
        guard relay.start != nil else { return (relay, []) }
        let message = Message.liveEnd(LiveEnd(streamId: UInt32(truncatingIfNeeded: id), reason: reason))
        let sends = relay.joined.keys.sorted().compactMap { gatewayID -> Send? in
            guard let joined = relay.joined[gatewayID], connection(gatewayID) == joined else { return nil }
            return Send(gatewayID: gatewayID, connection: joined, message: message, dropWhenBacklogged: false)
        }
        return (relay, sends)
    }

    /// Refuses new sources from now on; the ids to end, in order.
    mutating func stopAll() -> [Int64] {
        stopping = true
        return relays.keys.sorted()
    }

    /// Streams on air, with their areas, for a gateway that just became ready.
    var onAir: [(id: Int64, areaID: String)] {
        relays.keys.sorted().compactMap { id in
            guard let relay = relays[id], relay.start != nil else { return nil }
            return (id, relay.stream.areaID)
        }
    }

    /// A gateway of stream `id`'s area became ready on `connection`: it gets `liveStart` now.
    /// Nil when the stream is no longer on air.
    mutating func gatewayReady(_ gatewayID: String, connection: Connection, stream id: Int64) -> Send? {
        guard var relay = relays[id], let start = relay.start else { return nil }
        relay.targets.insert(gatewayID)
        let send = Self.join(gatewayID, connection, start: start, relay: &relay)
        relays[id] = relay
        return send
    }

    /// Gateways currently sent to (joined on their current connection) and bytes received.
    func status(_ id: Int64, connection: (String) -> Connection?) -> LiveHub.Status? {
        guard let relay = relays[id] else { return nil }
        let current = relay.joined.filter { gatewayID, joined in connection(gatewayID) == joined }
        return LiveHub.Status(gateways: current.count, bytesReceived: relay.bytesReceived, silentSince: relay.silentSince)
    }

    private static func join(_ gatewayID: String, _ connection: Connection, start: LiveStart, relay: inout Relay) -> Send {
        relay.joined[gatewayID] = connection
        return Send(gatewayID: gatewayID, connection: connection, message: .liveStart(start), dropWhenBacklogged: false)
    }
}
