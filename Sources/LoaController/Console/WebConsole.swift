/// The web console: static files compiled into the controller (SwiftPM `embedInCode`), so a
/// controller binary needs nothing beside it to serve them. The console talks to the HTTP API.
public enum WebConsole {
    /// A file of the console.
    public struct Asset: Sendable {
        public let contentType: String
        public let body: [UInt8]
    }

    /// The asset for a request path: `/` and `/console/` give the page, `/console/NAME` a file.
    /// Nil for anything else (the router answers 404).
    public static func asset(forPath path: String) -> Asset? {
        switch path {
        case "/", "/console", "/console/", "/console/index.html":
            return Asset(contentType: "text/html; charset=utf-8", body: PackageResources.index_html)
        default:
            return nil
        }
    }
}
