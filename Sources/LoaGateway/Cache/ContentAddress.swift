import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A SHA-256 content address as 64 lowercase hex digits: the name of a file in `cache/`.
///
/// The gateway's wire type is `LoaProtocol.ContentHash` (raw bytes); this target does not
/// depend on LoaProtocol, so the daemon converts with `ContentAddress(hex: hash.description)`.
public struct ContentAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    /// Nil unless `hex` is exactly 64 hex digits (either case; stored lowercase).
    public init?(hex: String) {
        let lower = hex.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            return nil
        }
        self.hex = lower
    }

    /// The address of `bytes`.
    public init(of bytes: some DataProtocol) {
        self.init(digest: SHA256.hash(data: bytes))
    }

    init(digest: SHA256.Digest) {
        self.hex = digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// The first 8 digits, for messages a person reads.
    public var short: String { String(hex.prefix(8)) + "…" }

    public var description: String { hex }

    public static func < (lhs: ContentAddress, rhs: ContentAddress) -> Bool { lhs.hex < rhs.hex }
}
