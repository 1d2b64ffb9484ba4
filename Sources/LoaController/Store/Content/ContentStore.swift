import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Audio files on disk addressed by their SHA-256: `<root>/ab/abcdef….mp3`. A file is written
/// to a temporary name, flushed, then renamed into place, so a reader never sees half a file;
/// the same bytes are stored once.
public struct ContentStore: Sendable {
    public let root: URL

    /// What `put` did.
    public struct Stored: Sendable, Equatable {
        public var sha256: String
        public var byteSize: Int64
        /// False when the same bytes were already stored.
        public var isNew: Bool
    }

    public init(root: URL) throws(StoreError) {
        self.root = root
        do {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        } catch {
            throw .content(reason: "cannot create \(root.path): \(error.localizedDescription)")
        }
    }

    public static func sha256Hex(of bytes: Data) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    public func url(for sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256 + ".mp3")
    }

    public func contains(_ sha256: String) -> Bool {
        Bulletin.isValidSHA256(sha256) && FileManager.default.fileExists(atPath: url(for: sha256).path)
    }

    public func read(_ sha256: String) throws(StoreError) -> Data {
        guard Bulletin.isValidSHA256(sha256), let data = FileManager.default.contents(atPath: url(for: sha256).path) else {
            throw .notFound(kind: "content", id: sha256)
        }
        return data
    }

    /// Stores the bytes under their hash, durably, unless they are already there.
    @discardableResult
    public func put(_ bytes: Data) throws(StoreError) -> Stored {
        let hash = Self.sha256Hex(of: bytes)
        let final = url(for: hash)
        if FileManager.default.fileExists(atPath: final.path) {
            return Stored(sha256: hash, byteSize: Int64(bytes.count), isNew: false)
        }
        let directory = final.deletingLastPathComponent()
        let temporary = root.appendingPathComponent("tmp").appendingPathComponent(hash + "." + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .content(reason: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        try writeDurably(bytes, to: temporary.path)
        guard rename(temporary.path, final.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .content(reason: "cannot move \(hash) into place: \(reason)")
        }
        syncDirectory(directory.path)
        return Stored(sha256: hash, byteSize: Int64(bytes.count), isNew: true)
    }

    /// Moves a finished, flushed file from `tmp/` into place under `sha256` (computed by its
    /// writer), unless the same content is already stored; the file is gone afterwards either way.
    @discardableResult
    public func put(fileAt path: String, sha256: String, byteSize: Int) throws(StoreError) -> Stored {
        let final = url(for: sha256)
        if FileManager.default.fileExists(atPath: final.path) {
            unlink(path)
            return Stored(sha256: sha256, byteSize: Int64(byteSize), isNew: false)
        }
        let directory = final.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            unlink(path)
            throw .content(reason: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        guard rename(path, final.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .content(reason: "cannot move \(sha256) into place: \(reason)")
        }
        syncDirectory(directory.path)
        return Stored(sha256: sha256, byteSize: Int64(byteSize), isNew: true)
    }

    /// Where uploads and half-written files wait; on the same file system as the store, so a
    /// finished file is renamed into place.
    public var temporaryDirectory: URL { root.appendingPathComponent("tmp") }

    private func writeDurably(_ bytes: Data, to path: String) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw .content(reason: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw .content(reason: "cannot write \(path): \(reason)")
            }
            offset += n
        }
        guard fsync(fd) == 0 else {
            unlink(path)
            throw .content(reason: "cannot flush \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Makes the rename itself durable.
    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
