#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One download into `partial/<sha>.part`: append chunks as they arrive; when the expected
/// size is reached the file is fsynced, hashed from disk and, only if the hash matches,
/// renamed into `cache/`. Dropping the object mid-way simply stops: the partial stays and
/// the next `beginDownload` resumes from its length.
///
/// Not Sendable: one owner feeds it chunks in order.
public final class ContentDownload {
    public let address: ContentAddress
    public let expectedSize: UInt64
    /// Bytes on disk so far: the offset to request from the controller.
    public private(set) var offset: UInt64

    private let cache: ContentCache
    private var file: DiskFile?
    private var unsyncedBytes: UInt64 = 0

    /// What appending a chunk led to.
    public enum Progress: Hashable, Sendable {
        case needMore(offset: UInt64)
        /// Verified and entered into the cache at this path.
        case cached(path: String)
    }

    init(cache: ContentCache, address: ContentAddress, expectedSize: UInt64) throws(DiskError) {
        self.cache = cache
        self.address = address
        self.expectedSize = expectedSize
        let file = try DiskFile.openForAppend(cache.partialPath(address))
        self.file = file
        self.offset = try file.size()
    }

    deinit {
        file = nil
        cache.releaseDownload(address)
    }

    /// Appends the next chunk. Throws `.diskFull` when the disk fills (the bytes written so far
    /// stay; `offset` is re-read from the file so a retry resumes correctly) and
    /// `.hashMismatch` when the complete file is not the content (the partial is deleted).
    public func append(_ chunk: some ContiguousBytes) throws(CacheError) -> Progress {
        guard let file else { throw .downloadClosed(address) }
        let count = UInt64(chunk.withUnsafeBytes { $0.count })
        guard offset + count <= expectedSize else {
            throw .tooManyBytes(address, expectedSize: expectedSize, wouldReach: offset + count)
        }
        do {
            try file.write(chunk)
            offset += count
            unsyncedBytes += count
            try syncIfDue(file)
        } catch {
            offset = (try? file.size()) ?? offset
            if case .noSpace = error { throw .diskFull(address, offset: offset, expectedSize: expectedSize) }
            throw .disk(error)
        }
        guard offset == expectedSize else { return .needMore(offset: offset) }
        return .cached(path: try complete())
    }

    private func syncIfDue(_ file: DiskFile) throws(DiskError) {
        switch cache.configuration.partialSync {
        case .everyChunk:
            try file.sync()
            unsyncedBytes = 0
        case .everyBytes(let threshold) where unsyncedBytes >= threshold:
            try file.sync()
            unsyncedBytes = 0
        case .everyBytes, .onlyAtEnd:
            break
        }
    }

    /// fsync, hash from disk, then rename into `cache/` or delete the partial.
    func complete() throws(CacheError) -> String {
        guard let file else { throw .downloadClosed(address) }
        self.file = nil
        let partial = cache.partialPath(address)
        let target = cache.cachedPath(address)
        do {
            try file.sync()
            let computed = try ContentHasher.hash(file: partial)
            if case .mismatch(let actual) = ContentVerification.check(expected: address, computed: computed.address) {
                try DiskFile.remove(partial)
                try DiskFile.syncDirectory(cache.partialDirectory)
                cache.logger.error("discarded a download whose hash does not match", metadata: ["bulletin.sha256": "\(address.hex)", "computed": "\(actual.hex)"])
                throw CacheError.hashMismatch(address, size: computed.size, computed: actual)
            }
            let now = cache.configuration.now()
            try DiskFile.setModified(partial, to: now)
            try DiskFile.rename(partial, to: target)
            try DiskFile.syncDirectory(cache.cacheDirectory)
            try DiskFile.syncDirectory(cache.partialDirectory)
            cache.admit(CacheEntry(address: address, size: computed.size, lastUsed: now))
            return target
        } catch let error as CacheError {
            throw error
        } catch {
            throw .disk(error as! DiskError)
        }
    }
}
