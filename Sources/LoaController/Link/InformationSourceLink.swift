import Foundation

/// The adapter boundary to an upstream information source system (Circular 39/2020's
/// "hệ thống thông tin nguồn" of the level above): everything the downstream's link service
/// asks of the level above, in Loa's own terms. `LoaExchangeLink` speaks Loa's documented HTTP
/// exchange (docs/openapi.yaml, tag `link`); an adapter for the Ministry's format would be a
/// second conformer translating its messages into `LinkOffer` and back, without touching the
/// link service, the store or the dispatch path.
public protocol InformationSourceLink: Sendable {
    /// How the upstream is named in logs and in the link's state (its URL, for Loa's exchange).
    var upstreamDescription: String { get }
    /// Offers addressed to this downstream's areas after `cursor`, oldest first. `chain` lists
    /// the identities of this controller and of every controller below it, so that the
    /// upstream can refuse a cycle.
    func offers(after cursor: Int64, chain: [String]) async throws(LinkError) -> LinkOfferPage
    /// The offer's audio, exactly as the upstream stores it (the caller checks its SHA-256).
    func audio(for offer: LinkOffer) async throws(LinkError) -> Data
    /// Tells the upstream these offers are taken (idempotent: an offer acknowledged twice is fine).
    func acknowledge(_ offerIDs: [Int64], chain: [String]) async throws(LinkError)
    /// What became of offers taken: per commune its state, per gateway what played when.
    func report(_ status: LinkStatusReport, chain: [String]) async throws(LinkError)
    /// A period report of this controller's areas (the JSON of `GET /api/v1/reports/...`).
    func reportPeriod(_ report: Data, chain: [String]) async throws(LinkError)
}

/// One bulletin the level above addresses to one of its areas that this downstream serves.
/// In Loa's exchange the JSON of `GET /api/v1/link/offers` is this type's encoding.
public struct LinkOffer: Codable, Sendable, Equatable {
    public struct Audio: Codable, Sendable, Equatable {
        public var sha256: String
        public var title: String
        public var durationMs: Int
        /// Where to fetch it: absolute, or a path on the upstream's base URL.
        public var url: String

        public init(sha256: String, title: String, durationMs: Int, url: String) {
            self.sha256 = sha256
            self.title = title
            self.durationMs = durationMs
            self.url = url
        }
    }

    /// Increasing with every offer the upstream makes: the downstream's cursor.
    public var id: Int64
    /// normal, priority or emergency (TT 39's thông thường, ưu tiên, khẩn cấp).
    public var `class`: String
    /// The upstream's area (a commune of its tree) the bulletin is addressed to.
    public var area: String
    public var bulletin: Audio
    public var note: String?
    /// Emergency: how many times it plays.
    public var `repeat`: Int
    public var sender: String
    /// The sender's level at the upstream: central, province, district …
    public var senderLevel: String
    /// When the upstream sent it (RFC 3339).
    public var sentAt: String

    public init(id: Int64, class kind: String, area: String, bulletin: Audio, note: String?, repeat count: Int,
                sender: String, senderLevel: String, sentAt: String) {
        self.id = id
        self.class = kind
        self.area = area
        self.bulletin = bulletin
        self.note = note
        self.repeat = count
        self.sender = sender
        self.senderLevel = senderLevel
        self.sentAt = sentAt
    }
}

/// One page of offers.
public struct LinkOfferPage: Codable, Sendable, Equatable {
    /// The upstream's identity (`link.identity`).
    public var upstream: String
    public var offers: [LinkOffer]

    public init(upstream: String, offers: [LinkOffer]) {
        self.upstream = upstream
        self.offers = offers
    }
}

/// `POST /api/v1/link/acks`.
public struct LinkAcks: Codable, Sendable, Equatable {
    public var offers: [Int64]

    public init(offers: [Int64]) { self.offers = offers }
}

/// `POST /api/v1/link/status`: what became of offers, as the downstream sees it.
public struct LinkStatusReport: Codable, Sendable, Equatable {
    public struct Play: Codable, Sendable, Equatable {
        public var gatewayId: String
        public var kind: String
        public var at: String

        public init(gatewayId: String, kind: String, at: String) {
            self.gatewayId = gatewayId
            self.kind = kind
            self.at = at
        }
    }

    public struct Offer: Codable, Sendable, Equatable {
        public var id: Int64
        /// The downstream commune's state (delivered, seen, placed, declined, waiting, sent),
        /// or `refused` when the downstream did not take it (`reason` says why).
        public var state: String
        public var reason: String?
        public var plays: [Play]

        public init(id: Int64, state: String, reason: String? = nil, plays: [Play] = []) {
            self.id = id
            self.state = state
            self.reason = reason
            self.plays = plays
        }
    }

    public var offers: [Offer]

    public init(offers: [Offer]) { self.offers = offers }
}
