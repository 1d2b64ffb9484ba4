import Crypto
import Foundation

/// The link's configuration, parsed from `[link]` and `[upstream]` (docs/CONFIG-controller.md,
/// "The link to the level above"): this controller's identity, the downstreams it accepts, and
/// its own upstream, if any.
public struct LinkSettings: Sendable, Equatable {
    /// A downstream this controller accepts: its name, the SHA-256 of its key, and the areas of
    /// this controller whose subtrees it serves (offers go to it for communes below them).
    public struct Downstream: Sendable, Equatable {
        public var name: String
        public var keySHA256: [UInt8]
        public var areas: [String]

        /// `"NAME sha256:HEX AREA[,AREA…]"` or `"NAME key:TEXT AREA[,AREA…]"`.
        public static func parse(_ entry: String) -> Result<Downstream, AreaMapping.MappingError> {
            let parts = entry.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            func bad(_ reason: String) -> Result<Downstream, AreaMapping.MappingError> { .failure(.init(entry: entry, reason: reason)) }
            guard parts.count == 3 else { return bad("write \"NAME sha256:HEX AREA[,AREA…]\" (or key:TEXT for the key itself)") }
            guard Identifier.isValid(parts[0], .area) else { return bad("the name '\(parts[0])' must be lowercase letters, digits and dashes") }
            let hash: [UInt8]
            if parts[1].hasPrefix("sha256:"), let bytes = hexBytes(String(parts[1].dropFirst(7))), bytes.count == 32 {
                hash = bytes
            } else if parts[1].hasPrefix("key:"), parts[1].count > 4 + 15 {
                hash = keyHash(String(parts[1].dropFirst(4)))
            } else {
                return bad("the key is sha256:<64 hex digits> or key:<at least 16 characters>")
            }
            let areas = parts[2].split(separator: ",").map(String.init)
            guard !areas.isEmpty, areas.allSatisfy({ Identifier.isValid($0, .area) }) else { return bad("list the areas it serves, comma-separated ids") }
            return .success(Downstream(name: parts[0], keySHA256: hash, areas: areas))
        }
    }

    /// This controller's own upstream.
    public struct Upstream: Sendable, Equatable {
        public var url: URL
        /// The name the upstream knows this link by (its `link.downstreams` entry).
        public var name: String
        public var key: String
        public var pollSeconds: Int
        public var backoffMaxSeconds: Int
        public var mapping: AreaMapping
    }

    public var identity: String
    public var downstreams: [Downstream]
    public var upstream: Upstream?

    public init(identity: String, downstreams: [Downstream] = [], upstream: Upstream? = nil) {
        self.identity = identity
        self.downstreams = downstreams
        self.upstream = upstream
    }

    /// The downstream named `name` whose key hashes to the configured hash, compared in constant
    /// time; nil for an unknown name or a wrong key (the same answer, so names cannot be probed).
    public func downstream(named name: String, key: String) -> Downstream? {
        let offered = Self.keyHash(key)
        var found: Downstream?
        for candidate in downstreams {
            let sameKey = Self.constantTimeEqual(candidate.keySHA256, offered)
            if sameKey && candidate.name == name { found = candidate }
        }
        return found
    }

    public static func keyHash(_ key: String) -> [UInt8] { Array(SHA256.hash(data: Data(key.utf8))) }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
