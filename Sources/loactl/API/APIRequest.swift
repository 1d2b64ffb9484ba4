import Foundation

/// One HTTP request to the controller's API, as a value: built by pure functions from the
/// command's arguments (see `APIRoutes`) and sent by `APIClient`.
struct APIRequest: Equatable, Sendable {
    var method: String
    /// Path below the controller URL, e.g. `/api/v1/gateways`.
    var path: String
    var query: [(String, String)] = []
    var body: Data?
    var contentType: String?
    var accept = "application/json"
    /// False only for login, which has no token yet.
    var authenticated = true

    init(_ method: String, _ path: String, query: [(String, String?)] = [], json: JSONValue? = nil) {
        self.method = method
        self.path = path
        self.query = query.compactMap { name, value in value.map { (name, $0) } }
        if let json {
            body = json.data
            contentType = "application/json"
        }
    }

    /// The full URL below `base` (which may carry a path prefix, e.g. behind a proxy).
    func url(base: URL) -> URL? {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        guard var components = URLComponents(string: text + path) else { return nil }
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // URLComponents leaves '+' as is, which servers read as a space ("+07:00" in a time).
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url
    }

    static func == (a: APIRequest, b: APIRequest) -> Bool {
        a.method == b.method && a.path == b.path && a.query.map { [$0.0, $0.1] } == b.query.map { [$0.0, $0.1] }
            && a.body == b.body && a.contentType == b.contentType && a.accept == b.accept && a.authenticated == b.authenticated
    }
}

/// What came back: status, headers we care about, body.
struct APIResponse: Sendable {
    var status: Int
    var contentType: String?
    var retryAfter: String?
    var body: Data

    /// The body as JSON (nil when empty or not JSON).
    var json: JSONValue? { body.isEmpty ? nil : JSONValue(data: body) }
}

/// Path segments from user input (ids, hashes) are percent-encoded so a '/' or '?' cannot
/// change the route.
func pathSegment(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
}
