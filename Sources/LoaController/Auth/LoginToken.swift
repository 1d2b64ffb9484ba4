import Crypto
import Foundation

/// A bearer token: 32 random bytes as unpadded base64url (43 characters). The store keeps only
/// its SHA-256, so the token itself exists only in the client's hands.
public struct LoginToken: Sendable, Equatable, CustomStringConvertible {
    public let value: String

    public init(value: String) {
        self.value = value
    }

    /// Never begins with `-`: a person passes a token or source key on a command line
    /// (`loactl live send ID FILE --key KEY`), where a leading dash reads as an option (one in 64
    /// keys did, and the end-to-end run caught it).
    public static func random() -> LoginToken {
        while true {
            let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            let text = bytes.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            if !text.hasPrefix("-") { return LoginToken(value: text) }
        }
    }

    /// Lowercase hex SHA-256 of the token's UTF-8: what the store keeps and looks up.
    public var sha256: String {
        SHA256.hash(data: Data(value.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { "LoginToken(redacted)" }
}
