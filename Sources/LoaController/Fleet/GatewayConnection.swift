import Foundation
import LoaProtocol
import LoaSchedule
import NIOConcurrencyHelpers
import NIOCore

/// One authenticated gateway connection as the rest of the controller sees it: send a message,
/// ask for a schedule push, close. Sendable; writes go through the channel in order.
public final class GatewayConnection: Sendable {
    public let gatewayID: String
    /// Remote IP address.
    public let peer: String
    public let connectedAt: Date
    let channel: any Channel
    private let inbox: ConnectionInbox
    private let state = NIOLockedValueBox(State())
    private let liveBacklog = NIOLockedValueBox(0)

    struct State {
        var pushedVersion: UInt64?
        var acknowledgedVersion: UInt64?
        /// Schedule entry id → bulletin, from the last schedule pushed; names the bulletin of an
        /// as-played event. Announced items are added as they are sent.
        var itemBulletins: [String: String] = [:]
    }

    init(gatewayID: String, peer: String, connectedAt: Date, channel: any Channel,
         inbox: ConnectionInbox) {
        self.gatewayID = gatewayID
        self.peer = peer
        self.connectedAt = connectedAt
        self.channel = channel
        self.inbox = inbox
    }

    /// Writes and flushes; throws when the connection is gone or the session refuses the message.
    func send(_ message: Message) async throws {
        try await channel.writeAndFlush(message)
    }

    /// Live audio and its start and end: written without waiting for the write, so one slow
    /// gateway never holds up the others. With `dropWhenBacklogged` the message is not written
    /// (false is returned) while more than `limit` bytes of live messages are still on their way
    /// to the socket (queued on the event loop or in NIO's buffer), or the channel is not
    /// writable. Counting our own bytes, not only NIO's writability, also covers writes that are
    /// still queued as event-loop tasks.
    @discardableResult
    func sendLive(_ message: Message, dropWhenBacklogged: Bool, limit: Int = GatewayServer.liveBacklogBytes) -> Bool {
        let size: Int
        if case .liveAudio(let audio) = message { size = audio.mp3.count + LiveAudio.headerSize } else { size = 256 }
        let admitted = liveBacklog.withLockedValue { pending -> Bool in
            if dropWhenBacklogged && pending > 0 && (pending + size > limit || !channel.isWritable) { return false }
            pending += size
            return true
        }
        guard admitted else { return false }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { [liveBacklog] _ in liveBacklog.withLockedValue { $0 -= size } }
        channel.writeAndFlush(message, promise: promise)
        return true
    }

    /// Bytes of live messages handed to the channel and not yet written to the socket.
    var liveBacklogBytes: Int { liveBacklog.withLockedValue { $0 } }

    func close() {
        channel.close(promise: nil)
    }

    /// Queues a schedule check on this connection's worker, so pushes never overtake each other.
    func requestSchedulePush() {
        inbox.yield(.pushSchedule)
    }

    /// The version last pushed on this connection.
    public var pushedScheduleVersion: UInt64? { state.withLockedValue { $0.pushedVersion } }
    /// The version the gateway last said it stored.
    public var acknowledgedScheduleVersion: UInt64? { state.withLockedValue { $0.acknowledgedVersion } }

    func recordPushed(_ schedule: GatewaySchedule) {
        state.withLockedValue { s in
            s.pushedVersion = schedule.version
            for entry in schedule.entries { s.itemBulletins[entry.id] = entry.content.sha256 }
            // A relay window's fallback plays as `relay-3@…#fallback`; the window itself has no bulletin.
            for relay in schedule.relays { s.itemBulletins[relay.id + "#fallback"] = relay.fallback?.sha256 }
        }
    }

    func recordAcknowledged(_ version: UInt64) {
        state.withLockedValue { $0.acknowledgedVersion = version }
    }

    func recordAnnounced(itemID: String, sha256: String) {
        state.withLockedValue { $0.itemBulletins[itemID] = sha256 }
    }

    /// The bulletin an as-played item id refers to: an occurrence `rule-12@…#0`, a relay's
    /// fallback `relay-3@…#fallback` or an announced item.
    func bulletin(forItem itemID: String) -> String? {
        let entryID = String(itemID.prefix { $0 != "@" })
        let fallback = itemID.hasSuffix("#fallback") ? entryID + "#fallback" : nil
        return state.withLockedValue { s in
            fallback.flatMap { s.itemBulletins[$0] } ?? (itemID.hasPrefix("relay-") ? nil : s.itemBulletins[entryID]) ?? s.itemBulletins[itemID]
        }
    }
}
