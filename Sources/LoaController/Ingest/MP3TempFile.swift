import Crypto
import Foundation
import LoaAudio
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pipeline's MP3 written to a file in the content store's temporary area as it is encoded,
/// in 256 KiB writes; `ContentStore.put(fileAt:sha256:)` then renames it into place. An Info tag
/// to put in front means one copy into a second file (the common case at speech bitrates,
/// where LAME's own tag does not fit); the SHA-256 is taken on that copy or on a read-back.
///
/// Not thread-safe; `remove()` in every path that does not hand the file to the store.
public final class MP3TempFile: MP3Destination, @unchecked Sendable {
    public private(set) var path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var sha256: String?
    private var byteSize = 0

    public init(directory: URL) throws(IngestError) {
        path = directory.appendingPathComponent("mp3-\(UUID().uuidString).part").path
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .storage("cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { if fd >= 0 { close(fd) } }

    public func write(_ bytes: [UInt8]) throws(IngestError) {
        buffer += bytes
        byteSize += bytes.count
        if buffer.count >= 256 << 10 { try flush() }
    }

    public func fixStart(_ fix: MP3StreamEncoder.StartFix) throws(IngestError) {
        try flush()
        switch fix {
        case .none:
            break
        case .overwrite(let tag):
            try Self.writeAll(fd, tag, at: 0, path: path)
        case .prepend(let frame):
            let copy = path + ".tagged"
            let target = open(copy, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard target >= 0 else { throw .storage("cannot create \(copy): \(String(cString: strerror(errno)))") }
            var hasher = SHA256()
            do throws(IngestError) {
                try Self.writeAll(target, frame, at: 0, path: copy)
                hasher.update(data: frame)
                var offset = 0
                while true {
                    let chunk = try Self.read(fd, at: offset, path: path)
                    if chunk.isEmpty { break }
                    try Self.writeAll(target, chunk, at: frame.count + offset, path: copy)
                    hasher.update(data: chunk)
                    offset += chunk.count
                }
            } catch {
                close(target)
                unlink(copy)
                throw error
            }
            close(fd)
            unlink(path)
            fd = target
            path = copy
            byteSize += frame.count
            sha256 = Self.hex(hasher.finalize())
        }
    }

    public func finish() throws(IngestError) -> (sha256: String, byteSize: Int) {
        try flush()
        guard fsync(fd) == 0 else { throw .storage("cannot flush \(path): \(String(cString: strerror(errno)))") }
        if sha256 == nil {
            var hasher = SHA256()
            var offset = 0
            while true {
                let chunk = try Self.read(fd, at: offset, path: path)
                if chunk.isEmpty { break }
                hasher.update(data: chunk)
                offset += chunk.count
            }
            sha256 = Self.hex(hasher.finalize())
        }
        return (sha256!, byteSize)
    }

    /// Deletes the file (after a refusal or a failure, or once the store holds the same bytes).
    public func remove() {
        unlink(path)
    }

    private func flush() throws(IngestError) {
        guard !buffer.isEmpty else { return }
        try Self.writeAll(fd, buffer, at: byteSize - buffer.count, path: path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` at `offset` (pwrite, retried on EINTR); shared with `UploadSpool`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws(IngestError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .storage("cannot write \(path): \(String(cString: strerror(errno)))") }
            done += n
        }
    }

    private static func read(_ fd: Int32, at offset: Int, path: String) throws(IngestError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .storage("cannot read \(path): \(String(cString: strerror(errno)))") }
            chunk.removeLast(chunk.count - n)
            return chunk
        }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }
}
