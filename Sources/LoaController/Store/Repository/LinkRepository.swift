import Foundation

/// An offer as the upstream keeps it: a dispatch target (one commune of one dispatch).
public struct OfferedTarget: Sendable, Equatable {
    public var dispatch: Dispatch
    public var target: Dispatch.Target
}

/// What a downstream reported of one offer (the upstream's copy).
public struct LinkOfferStatus: Sendable, Equatable {
    public var targetID: Int64
    public var link: String
    public var state: String
    public var reason: String?
    public var plays: [LinkStatusReport.Play]
    public var reportedAt: Date
}

/// One offer the downstream received and what it did with it.
public struct LinkReceipt: Sendable, Equatable {
    public var offerID: Int64
    public var dispatchID: Int64?
    public var taken: Bool
    public var reason: String?
    public var senderLevel: String
}

/// A downstream's period report as the upstream keeps it (the JSON of `GET /api/v1/reports/period`).
public struct LinkPeriodReport: Sendable, Equatable {
    public var link: String
    public var areaID: String
    public var from: String
    public var to: String
    public var report: String
    public var receivedAt: Date
}

/// The link to the level above: the upstream's offers, acknowledgements and reported status;
/// the downstream's cursor and receipts.
public protocol LinkRepository: Sendable {
    // Upstream side.
    /// Dispatch targets in `areas` with ids after `after`, oldest first.
    func offeredTargets(areas: Set<String>, after: Int64, limit: Int) async throws(StoreError) -> [OfferedTarget]
    /// Records acknowledgements of targets in `areas` (others are ignored); the ids recorded.
    func acknowledgeOffers(_ ids: [Int64], link: String, areas: Set<String>) async throws(StoreError) -> [Int64]
    /// Replaces the reported status of offers in `areas`; the ids recorded.
    func recordOfferStatus(_ offers: [LinkStatusReport.Offer], link: String, areas: Set<String>) async throws(StoreError) -> [Int64]
    /// Reported status of a dispatch's targets, by target id.
    func offerStatus(dispatch id: Int64) async throws(StoreError) -> [Int64: LinkOfferStatus]
    /// Whether `sha256` is the audio of an offer in `areas` (what a downstream may fetch).
    func isOfferedAudio(_ sha256: String, areas: Set<String>) async throws(StoreError) -> Bool
    /// Keeps a downstream's period report (replacing the one of the same area and period start).
    func storePeriodReport(_ report: LinkPeriodReport) async throws(StoreError)
    /// The period reports received, newest period first.
    func periodReports() async throws(StoreError) -> [LinkPeriodReport]

    // Downstream side.
    func linkCursor(upstream: String) async throws(StoreError) -> Int64
    /// Of `ids`, those with a receipt already.
    func receivedOffers(upstream: String, among ids: [Int64]) async throws(StoreError) -> Set<Int64>
    /// In one transaction: the dispatch (when taken), the offer's receipt, the cursor moved to
    /// at least `offerID`. A receipt already there makes it a no-op (nil).
    func receiveOffer(upstream: String, offerID: Int64, dispatch: Dispatch?, reason: String?, senderLevel: String,
                      origin: AuditOrigin) async throws(StoreError) -> Dispatch?
    /// Moves the cursor forward (never back).
    func advanceLinkCursor(upstream: String, to: Int64) async throws(StoreError)
    /// The latest receipts, newest first.
    func linkReceipts(upstream: String, limit: Int) async throws(StoreError) -> [LinkReceipt]
    /// The sender level recorded for a dispatch that came from an upstream.
    func linkSenderLevel(dispatch id: Int64) async throws(StoreError) -> String?
}
