import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seals gateway secrets with AES-256-GCM under a key kept in a file beside (not inside) the
/// database, so a copy of the database alone reveals no secret. The gateway id is bound in as
/// associated data: a sealed secret moved to another gateway's row does not open.
public struct GatewaySecretVault: Sendable {
    /// Raw bytes: `SymmetricKey` is not `Sendable` in this swift-crypto.
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// Where the key came from, for error messages.
    public let keyFilePath: String

    /// Format byte in front of every sealed secret, so the scheme can change later.
    static let formatVersion: UInt8 = 1

    /// Reads the key file (base64 of 32 bytes), creating it with mode 0600 when missing.
    /// Refuses a key file that others can read, or one that does not hold a 256-bit key.
    public init(keyFile: URL) throws(StoreError) {
        let path = keyFile.path
        self.keyFilePath = path
        if !FileManager.default.fileExists(atPath: path) {
            try Self.createKeyFile(at: path)
        }
        self.keyBytes = try Self.readKey(at: path)
    }

    /// A vault over a key held in memory, for tests and tools.
    public init(key: SymmetricKey, label: String = "(in memory)") {
        self.keyBytes = key.withUnsafeBytes { Array($0) }
        self.keyFilePath = label
    }

    /// A vault over a fresh random key held only in memory, for tests and throwaway setups.
    public static func ephemeral() -> GatewaySecretVault {
        GatewaySecretVault(key: SymmetricKey(size: .bits256), label: "(ephemeral)")
    }

    func seal(_ secret: GatewaySecret, gatewayID: String) throws(StoreError) -> Data {
        do {
            let box = try AES.GCM.seal(secret.bytes, using: key, authenticating: Data(gatewayID.utf8))
            guard let combined = box.combined else { throw StoreError.database("AES-GCM produced no output") }
            return Data([Self.formatVersion]) + combined
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("sealing the secret of gateway '\(gatewayID)' failed: \(error)")
        }
    }

    func open(_ sealed: Data, gatewayID: String) throws(StoreError) -> GatewaySecret {
        guard sealed.first == Self.formatVersion else {
            throw .secretUnreadable(gatewayID: gatewayID, keyFile: keyFilePath)
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            let clear = try AES.GCM.open(box, using: key, authenticating: Data(gatewayID.utf8))
            return GatewaySecret(bytes: Array(clear))
        } catch {
            throw .secretUnreadable(gatewayID: gatewayID, keyFile: keyFilePath)
        }
    }

    private static func createKeyFile(at path: String) throws(StoreError) {
        let text = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let fd = posixOpen(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw .keyFile(path: path, reason: "cannot create it (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        let written = text.utf8CString.withUnsafeBufferPointer { buffer in
            write(fd, buffer.baseAddress, buffer.count - 1)
        }
        guard written == text.utf8.count, fsync(fd) == 0 else {
            throw .keyFile(path: path, reason: "cannot write it (\(String(cString: strerror(errno))))")
        }
    }

    private static func readKey(at path: String) throws(StoreError) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .keyFile(path: path, reason: "cannot read it (\(String(cString: strerror(errno))))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .keyFile(path: path, reason: "others can read it; run `chmod 600 \(path)`")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyFile(path: path, reason: "cannot read it")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == 32 else {
            throw .keyFile(path: path, reason: "does not hold a base64 256-bit key (expected 44 base64 characters)")
        }
        return Array(raw)
    }
}

/// `open(2)`, named apart from the vault's `open(_:gatewayID:)`.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
    return Glibc.open(path, flags, mode)
    #else
    return Darwin.open(path, flags, mode)
    #endif
}
