import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Loa's own exchange (docs/openapi.yaml, tag `link`) as an `InformationSourceLink`: plain
/// HTTP requests to the upstream's `/api/v1/link/…` with URLSession, as loactl sends its own
/// (https: TLS verified against the system's trusted CAs). Only this type touches the network;
/// what it answers is decoded strictly, and anything else is `LinkError.garbage`.
public struct LoaExchangeLink: InformationSourceLink {
    public let base: URL
    public let name: String
    let key: String
    let timeout: TimeInterval
    /// Largest audio accepted (the upstream's own upload limit is lower by default).
    static let audioLimit = 256 << 20

    public init(base: URL, name: String, key: String, timeout: TimeInterval = 30) {
        self.base = base
        self.name = name
        self.key = key
        self.timeout = timeout
    }

    public var upstreamDescription: String { base.absoluteString }

    public func offers(after cursor: Int64, chain: [String]) async throws(LinkError) -> LinkOfferPage {
        let data = try await send("GET", "/api/v1/link/offers?after=\(cursor)&limit=50", chain: chain)
        return try decode(LinkOfferPage.self, data, what: "GET /api/v1/link/offers")
    }

    public func audio(for offer: LinkOffer) async throws(LinkError) -> Data {
        // Only from the upstream itself: an offer cannot make this controller fetch elsewhere.
        guard offer.bulletin.url.hasPrefix("/"), !offer.bulletin.url.hasPrefix("//") else {
            throw .garbage(upstream: upstreamDescription, what: "offer \(offer.id): the audio URL is not a path on the upstream")
        }
        let data = try await send("GET", offer.bulletin.url, chain: [], accept: "audio/mpeg")
        guard data.count <= Self.audioLimit else {
            throw .garbage(upstream: upstreamDescription, what: "offer \(offer.id): audio of \(data.count) bytes")
        }
        return data
    }

    public func acknowledge(_ offerIDs: [Int64], chain: [String]) async throws(LinkError) {
        guard !offerIDs.isEmpty else { return }
        let data = try await send("POST", "/api/v1/link/acks", chain: chain, body: try encode(LinkAcks(offers: offerIDs)))
        _ = try decode(LinkAcks.self, data, what: "POST /api/v1/link/acks")
    }

    public func report(_ status: LinkStatusReport, chain: [String]) async throws(LinkError) {
        guard !status.offers.isEmpty else { return }
        let data = try await send("POST", "/api/v1/link/status", chain: chain, body: try encode(status))
        _ = try decode(LinkAcks.self, data, what: "POST /api/v1/link/status")
    }

    public func reportPeriod(_ report: Data, chain: [String]) async throws(LinkError) {
        _ = try await send("POST", "/api/v1/link/report", chain: chain, body: report)
    }

    // MARK: The one place that touches the network

    private func send(_ method: String, _ path: String, chain: [String], body: Data? = nil,
                      accept: String = "application/json") async throws(LinkError) -> Data {
        let upstream = upstreamDescription
        guard let url = URL(string: base.absoluteString.trimmingSuffix("/") + path) else {
            throw .garbage(upstream: upstream, what: "cannot build a URL from '\(Identifier.escaped(path))'")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue(accept, forHTTPHeaderField: "Accept")
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue(name, forHTTPHeaderField: "Loa-Link")
        request.setValue(LinkChain.header(chain), forHTTPHeaderField: "Loa-Link-Chain")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        let data: Data, response: URLResponse
        do {
            let session = URLSession(configuration: .ephemeral)
            defer { session.finishTasksAndInvalidate() }
            (data, response) = try await session.data(for: request)
        } catch {
            throw .unreachable(upstream: upstream, reason: error.localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else { throw .garbage(upstream: upstream, what: "not an HTTP answer") }
        switch http.statusCode {
        case 200..<300:
            return data
        case 401:
            throw .unauthorized(upstream: upstream)
        default:
            let message = Self.errorMessage(data) ?? "\(data.count) bytes that are not Loa's error JSON"
            if http.statusCode == 409, Self.errorCode(data) == "link_cycle" { throw .cycle(upstream: upstream, message: message) }
            throw .refused(upstream: upstream, status: http.statusCode, message: message)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, what: String) throws(LinkError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            let kind = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil ? "not JSON" : "JSON of the wrong shape (\(error))"
            throw .garbage(upstream: upstreamDescription, what: "\(what): \(kind)")
        }
    }

    private func encode<T: Encodable>(_ value: T) throws(LinkError) -> Data {
        do { return try JSONEncoder().encode(value) } catch {
            throw .garbage(upstream: upstreamDescription, what: "cannot encode \(T.self)")
        }
    }

    static func errorObject(_ data: Data) -> [String: Any]? {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["error"] as? [String: Any]
    }

    static func errorMessage(_ data: Data) -> String? { (errorObject(data)?["message"] as? String).map { Identifier.escaped(String($0.prefix(500))) } }
    static func errorCode(_ data: Data) -> String? { errorObject(data)?["code"] as? String }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
