import _CryptoExtras
import Crypto
import Foundation

/// Hashes passwords with scrypt. The stored string carries its own parameters and salt
/// (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, base64), so the cost can be raised later:
/// old hashes still verify, and `needsRehash` says when to re-hash at the next login.
public struct PasswordHasher: Sendable, Equatable {
    /// log2 of scrypt's N (rounds).
    public var logRounds: Int
    public var blockSize: Int
    public var parallelism: Int

    /// 32 MiB and about a tenth of a second per hash on a small server.
    public static let standard = PasswordHasher(logRounds: 15, blockSize: 8, parallelism: 1)
    /// Cheap parameters for tests only.
    public static let fastForTests = PasswordHasher(logRounds: 4, blockSize: 8, parallelism: 1)

    static let saltByteCount = 16
    static let hashByteCount = 32

    public init(logRounds: Int, blockSize: Int, parallelism: Int) {
        self.logRounds = logRounds
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    public func hash(_ password: String) throws(StoreError) -> String {
        let salt = SymmetricKey(size: .init(bitCount: Self.saltByteCount * 8)).withUnsafeBytes { Array($0) }
        let derived = try Self.derive(password, salt: salt, parameters: self)
        return "$scrypt$ln=\(logRounds),r=\(blockSize),p=\(parallelism)$"
            + Data(salt).base64EncodedString() + "$" + Data(derived).base64EncodedString()
    }

    /// Constant-time comparison of the derived key with the stored one.
    public func verify(_ password: String, against stored: String) -> Bool {
        guard let parsed = Self.parse(stored),
              let derived = try? Self.derive(password, salt: parsed.salt, parameters: parsed.parameters),
              derived.count == parsed.hash.count
        else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(derived, parsed.hash) { difference |= a ^ b }
        return difference == 0
    }

    /// True when the stored hash was made with weaker parameters than these.
    public func needsRehash(_ stored: String) -> Bool {
        guard let parsed = Self.parse(stored) else { return true }
        let p = parsed.parameters
        return p.logRounds < logRounds || p.blockSize < blockSize || p.parallelism < parallelism
    }

    private static func derive(_ password: String, salt: [UInt8], parameters p: PasswordHasher) throws(StoreError) -> [UInt8] {
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: Array(password.utf8), salt: salt, outputByteCount: hashByteCount,
                rounds: 1 << p.logRounds, blockSize: p.blockSize, parallelism: p.parallelism,
                maxMemory: 256 * p.blockSize * (1 << p.logRounds) + 1 << 20
            )
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .database("scrypt failed with ln=\(p.logRounds), r=\(p.blockSize), p=\(p.parallelism): \(error)")
        }
    }

    private static func parse(_ stored: String) -> (parameters: PasswordHasher, salt: [UInt8], hash: [UInt8])? {
        let fields = stored.split(separator: "$", omittingEmptySubsequences: true)
        guard fields.count == 4, fields[0] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for pair in fields[1].split(separator: ",") {
            let kv = pair.split(separator: "=")
            guard kv.count == 2, let v = Int(kv[1]) else { return nil }
            values[String(kv[0])] = v
        }
        guard let ln = values["ln"], let r = values["r"], let p = values["p"], (1...30).contains(ln),
              let salt = Data(base64Encoded: String(fields[2])), let hash = Data(base64Encoded: String(fields[3]))
        else { return nil }
        return (PasswordHasher(logRounds: ln, blockSize: r, parallelism: p), Array(salt), Array(hash))
    }
}
