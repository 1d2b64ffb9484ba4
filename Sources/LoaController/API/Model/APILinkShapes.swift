import Foundation

// The JSON shapes of the link (APIHandlers+Link): the exchange's request bodies and the link's
// state. The exchange's other shapes are the Link folder's value types (LinkOffer, LinkOfferPage,
// LinkAcks, LinkStatusReport), shared by the upstream's handlers and the downstream's client.

/// `POST /api/v1/link/acks`.
struct LinkAcksInput: APIBody {
    var offers: [Int64]
}

/// `POST /api/v1/link/status`.
struct LinkStatusInput: APIBody {
    var offers: [LinkStatusReport.Offer]
}

/// `POST /api/v1/link/report`: a downstream's period report of one of the upstream's areas it
/// serves (the upstream's id, mapped back from the downstream's own by `upstream.area_map`).
struct LinkPeriodReportInput: APIBody, Encodable {
    var area: String
    var from: String
    var to: String
    var report: JSONValue
}

/// `GET /api/v1/link/reports`: one period report received from a downstream.
struct APILinkPeriodReport: Codable, Sendable {
    var downstream: String
    var area: String
    var from: String
    var to: String
    var receivedAt: String
    var report: JSONValue
}

/// `GET /api/v1/link`: the link's state for the console and `loactl link`.
struct APILinkState: Codable, Sendable {
    struct Upstream: Codable, Sendable {
        var url: String
        var state: String
        @Nullable var lastSuccess: String?
        @Nullable var lastError: String?
        @Nullable var lastErrorCode: String?
        @Nullable var lastErrorAt: String?
        var failures: Int
        var backoffSeconds: Double
        var cursor: Int64
        var offersTaken: Int
    }

    struct Downstream: Codable, Sendable {
        var name: String
        var areas: [String]
        @Nullable var lastPull: String?
        @Nullable var cursor: Int64?
        var chain: [String]
        var refusals: Int
    }

    @Nullable var identity: String?
    @Nullable var upstream: Upstream?
    var downstreams: [Downstream]

    init(_ monitor: LinkMonitor) {
        identity = monitor.identity.isEmpty ? nil : monitor.identity
        upstream = monitor.upstream.map {
            Upstream(url: $0.url, state: $0.state, lastSuccess: APIJSON.time($0.lastSuccess), lastError: $0.lastError,
                     lastErrorCode: $0.lastErrorCode, lastErrorAt: APIJSON.time($0.lastErrorAt), failures: $0.failures,
                     backoffSeconds: $0.backoffSeconds, cursor: $0.cursor, offersTaken: $0.offersTaken)
        }
        downstreams = monitor.downstreams.map {
            Downstream(name: $0.name, areas: $0.areas, lastPull: APIJSON.time($0.lastPull), cursor: $0.lastCursor, chain: $0.chain,
                       refusals: $0.refusals)
        }
    }
}
