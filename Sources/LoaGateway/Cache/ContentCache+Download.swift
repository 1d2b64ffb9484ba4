#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Starting downloads and making room for them.
extension ContentCache {
    /// How a download request turned out.
    public enum DownloadStart {
        /// Verified content is already cached here: nothing to download.
        case cached(path: String)
        /// Ask the controller for the content from `download.offset`, then feed it chunks.
        case download(ContentDownload)
    }

    /// Begins (or resumes) downloading `address` of `expectedSize` bytes. First makes room:
    /// evicts least recently used content not in `needed` as the `EvictionPlanner` decides, or
    /// throws `.quotaExceeded` without evicting anything.
    ///
    /// A partial that already holds every byte is verified here and, when it checks, the
    /// result is `.cached`.
    public func beginDownload(
        _ address: ContentAddress,
        expectedSize: UInt64,
        needed: Set<ContentAddress>
    ) throws(CacheError) -> DownloadStart {
        if let path = path(for: address) { return .cached(path: path) }
        try makeRoom(for: address, size: expectedSize, needed: needed.union([address]))
        try claimDownload(address)
        do {
            let partial = partialPath(address)
            let length = DiskFile.status(partial)?.size
            switch ResumeDecision.decide(partialLength: length, expectedSize: expectedSize) {
            case .discard:
                try DiskFile.remove(partial)
            case .start, .resume, .verifyNow:
                break
            }
            let download = try ContentDownload(cache: self, address: address, expectedSize: expectedSize)
            if download.offset == expectedSize {
                return .cached(path: try download.complete())
            }
            return .download(download)
        } catch let error as CacheError {
            releaseDownload(address)
            throw error
        } catch {
            releaseDownload(address)
            throw .disk(error as! DiskError)
        }
    }

    /// Deletes a partial download (e.g. the schedule no longer needs it).
    public func discardPartial(_ address: ContentAddress) throws(CacheError) {
        do {
            try DiskFile.remove(partialPath(address))
        } catch {
            throw .disk(error)
        }
    }

    /// Evicts what the planner says so `size` more bytes fit under the quota.
    func makeRoom(for address: ContentAddress, size: UInt64, needed: Set<ContentAddress>) throws(CacheError) {
        let plan = EvictionPlanner.plan(entries: cachedEntries, needed: needed, quota: configuration.quotaBytes, incomingSize: size)
        switch plan {
        case .cannotFit(let missing):
            throw .quotaExceeded(address, size: size, quota: configuration.quotaBytes, missingBytes: missing)
        case .evict(let victims):
            guard !victims.isEmpty else { return }
            do {
                for victim in victims {
                    forget(victim)
                    try DiskFile.remove(cachedPath(victim))
                    logger.info("evicted unneeded content", metadata: ["bulletin.sha256": "\(victim.hex)"])
                }
                try DiskFile.syncDirectory(cacheDirectory)
            } catch {
                throw .disk(error)
            }
        }
    }
}
