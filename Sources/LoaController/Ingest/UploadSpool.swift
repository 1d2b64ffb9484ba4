import Crypto
import Foundation
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An upload's bytes on disk in the content store's temporary area, with the SHA-256 of exactly
/// those bytes (what recognises a repeat upload before it is decoded again).
public struct SpooledUpload: Sendable {
    public let path: String
    public let byteCount: Int
    /// Lower-case hex SHA-256 of the upload as received.
    public let sha256: String

    /// Deletes the file; every path that made one ends here.
    public func remove() {
        unlink(path)
    }
}

/// Writes a request body to a temporary file as it arrives, hashing it on the way and refusing
/// it the moment it passes the limit. Writes and hashing run on NIO's blocking-I/O thread pool in
/// batches of up to 1 MiB, so the task receiving the body only copies bytes.
///
/// Not thread-safe: one task feeds one spool, then calls `finish()` or `discard()`.
public final class UploadSpool: @unchecked Sendable {
    public let path: String
    public let limit: Int
    private let fd: Int32
    private var hasher = SHA256()
    private var batch: [UInt8] = []
    private var written = 0
    private var received = 0

    public init(directory: URL, limit: Int) throws(IngestError) {
        path = directory.appendingPathComponent("upload-\(UUID().uuidString).part").path
        self.limit = limit
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .storage("cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// Adds the next piece of the body; `.tooLarge` (with the file removed) once past the limit.
    public func append(_ bytes: some Sequence<UInt8>) async throws(IngestError) {
        batch.append(contentsOf: bytes)
        received = written + batch.count
        guard received <= limit else {
            discard()
            throw .tooLarge(bytes: received, limit: limit)
        }
        if batch.count >= 1 << 20 { try await flush() }
    }

    /// Spools a whole upload held in memory (the CLI, tests).
    public static func spool(_ bytes: [UInt8], in directory: URL, limit: Int) async throws(IngestError) -> SpooledUpload {
        let spool = try UploadSpool(directory: directory, limit: max(limit, 1))
        try await spool.append(bytes)
        return try await spool.finish()
    }

    /// The whole body is in.
    public func finish() async throws(IngestError) -> SpooledUpload {
        try await flush()
        let digest = hasher.finalize()
        return SpooledUpload(path: path, byteCount: written, sha256: MP3TempFile.hex(digest))
    }

    /// Drops what was received (a refusal, a broken connection).
    public func discard() {
        batch = []
        unlink(path)
    }

    private func flush() async throws(IngestError) {
        guard !batch.isEmpty else { return }
        let bytes = batch
        batch = []
        let offset = written
        // The feeding task waits for this, so the hasher is only ever touched by one thread at a time.
        let failure: IngestError?
        do {
            failure = try await NIOThreadPool.singleton.runIfActive { [self] () -> IngestError? in
                hasher.update(data: bytes)
                do throws(IngestError) {
                    try MP3TempFile.writeAll(fd, bytes, at: offset, path: path)
                    return nil
                } catch {
                    return error
                }
            }
        } catch {
            failure = .storage("cannot write \(path): \(error)")
        }
        if let failure {
            discard()
            throw failure
        }
        written += bytes.count
    }
}
