import Foundation

/// The downstream's bookkeeping of one page of offers (pure): which to take, which only to
/// acknowledge again (taken before, the acknowledgement lost), and where the cursor goes.
/// Offers come oldest first; the cursor never passes an offer that was not taken, so a failure
/// (audio unreachable, a crash) leaves it where the next pull asks for that offer again, and a
/// receipt stored with each taken offer keeps a repeat from being taken twice.
public enum OfferLedger {
    public struct Plan: Sendable, Equatable {
        /// New offers, in id order.
        public var take: [LinkOffer]
        /// Offers taken before (or at or below the cursor): acknowledge again, do nothing else.
        public var acknowledgeOnly: [Int64]
    }

    public static func plan(_ page: [LinkOffer], cursor: Int64, received: Set<Int64>) -> Plan {
        var take: [LinkOffer] = []
        var again: [Int64] = []
        var seen = Set<Int64>()
        for offer in page.sorted(by: { $0.id < $1.id }) where seen.insert(offer.id).inserted {
            if offer.id <= cursor || received.contains(offer.id) { again.append(offer.id) } else { take.append(offer) }
        }
        return Plan(take: take, acknowledgeOnly: again)
    }

    /// The cursor after `taken` offers of a page were stored (in order): the highest id such that
    /// every offer of the page up to it was taken or already known.
    public static func advance(cursor: Int64, page: [LinkOffer], done: Set<Int64>) -> Int64 {
        var cursor = cursor
        for offer in page.sorted(by: { $0.id < $1.id }) {
            guard offer.id > cursor else { continue }
            guard done.contains(offer.id) else { break }
            cursor = offer.id
        }
        return cursor
    }
}

/// What the downstream does with one offer, decided before any audio is fetched (pure).
public enum OfferVerdict: Sendable, Equatable {
    /// Send it down to `localArea` as `dispatchClass`.
    case take(localArea: String, dispatchClass: Dispatch.Class)
    /// Record and acknowledge it without sending it down, telling the upstream why.
    case refuse(reason: String)

    /// An emergency older than this is not played on arrival (a downstream that was cut off
    /// for a day does not sound yesterday's storm warning); the upstream is told.
    public static let emergencyMaxAge: TimeInterval = 3_600

    /// Checks an offer's fields and maps its area. A malformed offer is `LinkError.garbage`: the
    /// upstream broke the exchange, and nothing of the page is saved.
    public static func decide(_ offer: LinkOffer, mapping: AreaMapping, now: Date, upstream: String) -> Result<OfferVerdict, LinkError> {
        func garbage(_ what: String) -> Result<OfferVerdict, LinkError> { .failure(.garbage(upstream: upstream, what: "offer \(offer.id): \(what)")) }
        guard offer.id > 0 else { return garbage("an offer id is a positive number") }
        guard let kind = Dispatch.Class(rawValue: offer.class) else { return garbage("class '\(Identifier.escaped(offer.class))' is not normal, priority or emergency") }
        guard Bulletin.isValidSHA256(offer.bulletin.sha256) else { return garbage("the audio's sha256 is not 64 lowercase hex digits") }
        guard Dispatch.repeatLimit.contains(offer.repeat) else { return garbage("repeat \(offer.repeat) is not 1 to 5") }
        guard Dispatch.noteLimit.contains(offer.note?.count ?? 0) else { return garbage("the note is longer than 500 characters") }
        guard !offer.bulletin.title.isEmpty, Identifier.textProblem(offer.bulletin.title, field: "title") == nil else {
            return garbage("the title is empty, longer than 200 characters or holds control characters")
        }
        guard (1...(24 * 3_600_000)).contains(offer.bulletin.durationMs) else { return garbage("durationMs \(offer.bulletin.durationMs) is not 1 ms to 24 h") }
        guard Identifier.isValid(offer.area, .area) else { return garbage("area '\(Identifier.escaped(offer.area))' is not an area id") }
        guard let sent = APIJSON.parseTime(offer.sentAt) else { return garbage("sentAt '\(Identifier.escaped(offer.sentAt))' is not an RFC 3339 time") }
        guard let local = mapping.local(for: offer.area) else {
            return .success(.refuse(reason: "area '\(offer.area)' is not in the downstream's upstream.area_map"))
        }
        if kind == .emergency, now.timeIntervalSince(sent) > emergencyMaxAge {
            return .success(.refuse(reason: "an emergency sent at \(offer.sentAt) arrived more than \(Int(emergencyMaxAge / 60)) minutes late; not played"))
        }
        return .success(.take(localArea: local, dispatchClass: kind))
    }
}
