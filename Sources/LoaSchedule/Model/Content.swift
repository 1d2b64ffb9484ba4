/// The audio an entry plays: a cached MP3 named by its SHA-256.
///
/// JSON: `{"sha256":"<64 lowercase hex>","durationMs":93500,"title":"Bản tin sáng"}`.
public struct Content: Hashable, Sendable, Codable {
    /// SHA-256 of the MP3 bytes, 64 lowercase hex digits; the gateway's cache key.
    public var sha256: String
    /// Playing time in milliseconds (decoded length, not file size).
    public var durationMs: Int64
    /// What operators see in the console and the as-played log.
    public var title: String

    public init(sha256: String, durationMs: Int64, title: String) {
        self.sha256 = sha256
        self.durationMs = durationMs
        self.title = title
    }

    /// True for 64 lowercase hex digits (the form the content store writes).
    public var hasWellFormedHash: Bool {
        sha256.utf8.count == 64 && sha256.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
