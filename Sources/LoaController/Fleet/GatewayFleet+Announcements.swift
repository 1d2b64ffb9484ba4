import Foundation
import LoaProtocol

/// Announcements from the store to the gateways: pushed at once to the online gateways they
/// target, and again (or their stop) to a targeted gateway that connects before they expire.
extension GatewayFleet {
    /// Which gateways got it now and which were offline (they get it if they connect before it expires).
    public struct Delivery: Sendable, Equatable {
        public var sent: [String]
        public var offline: [String]
    }

    /// The protocol item id of a stored announcement; as-played events carry it.
    public static func itemID(forAnnouncement id: Int64) -> String { "announcement-\(id)" }

    static func message(for announcement: Announcement) -> LoaProtocol.Announcement? {
        guard let hash = ContentHash(hex: announcement.content.sha256) else { return nil }
        return LoaProtocol.Announcement(
            itemId: itemID(forAnnouncement: announcement.id), sha256: hash, priority: announcement.priority,
            startAt: announcement.startAt.millisecondsSince1970, expiresAt: announcement.expiresAt.millisecondsSince1970,
            onBusy: .preempt, onInterrupt: .restart)
    }

    /// The gateways an announcement reaches: those under its areas and those it names.
    public func gatewayIDs(reachedBy target: BroadcastTarget) async throws(StoreError) -> [String] {
        var ids = Set(target.gatewayIDs)
        for areaID in target.areaIDs { ids.formUnion(try await store.gatewaysAffected(byChangeToArea: areaID)) }
        return ids.sorted()
    }

    /// Sends a stored announcement to every targeted gateway that is online.
    public func push(_ announcement: Announcement) async throws(StoreError) -> Delivery {
        let targets = try await gatewayIDs(reachedBy: announcement.target)
        guard let message = Self.message(for: announcement) else { return Delivery(sent: [], offline: targets) }
        let failures = await announce(message, to: targets)
        return Delivery(sent: targets.filter { failures[$0] == nil }, offline: targets.filter { failures[$0] != nil })
    }

    /// Tells every targeted online gateway to stop the announcement.
    public func stopPlaying(_ announcement: Announcement) async throws(StoreError) -> Delivery {
        let targets = try await gatewayIDs(reachedBy: announcement.target)
        let failures = await stop(itemID: Self.itemID(forAnnouncement: announcement.id), on: targets)
        return Delivery(sent: targets.filter { failures[$0] == nil }, offline: targets.filter { failures[$0] != nil })
    }

    /// At handshake: every announcement not yet expired that is aimed at this gateway, its
    /// commune or an area above it. One still running (or due later) is sent again; one stopped
    /// while the gateway was away is sent as a `stop`, so an offline gateway that had received
    /// it does not play it. The gateway plays an item id once, so a resend is harmless.
    func pushAnnouncements(to link: GatewayConnection) async {
        let logger = gatewayLogger(for: link)
        do {
            let unexpired = try await store.unexpiredAnnouncements(at: now())
            guard !unexpired.isEmpty else { return }
            let gateway = try await store.gateway(link.gatewayID)
            let areas = Set([gateway.areaID] + (try await store.ancestors(of: gateway.areaID)).map(\.id))
            for announcement in unexpired
            where announcement.target.gatewayIDs.contains(link.gatewayID) || !areas.isDisjoint(with: announcement.target.areaIDs) {
                let itemID = Self.itemID(forAnnouncement: announcement.id)
                let message: Message
                if announcement.stoppedAt != nil {
                    message = .stop(Stop(itemId: itemID))
                } else {
                    guard let announce = Self.message(for: announcement) else { continue }
                    link.recordAnnounced(itemID: itemID, sha256: announce.sha256.description)
                    message = .announce(announce)
                }
                try await link.send(message)
                metrics.messageSent(type: message.frameType.name)
                logger.info(announcement.stoppedAt == nil ? "announcement sent on connect" : "announcement stop sent on connect",
                            metadata: ["announcement.id": "\(announcement.id)"])
            }
        } catch {
            logger.warning("announcements not sent on connect", metadata: ["error": "\(error)"])
        }
    }

    /// A short label for `loa_protocol_errors_total`.
    static func metricsReason(_ error: ProtocolError) -> String {
        "\(error.code)"
    }
}
