#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import Logging

/// Content-addressed audio files under the state directory:
///
///     cache/<sha256-hex>          complete files whose SHA-256 matched their name
///     partial/<sha256-hex>.part   downloads in progress; the length is the resume offset
///     quarantine/<name>           files that failed verification, with <name>.reason beside
///
/// A file enters `cache/` only by a rename from `partial/` after its hash checked, so
/// `cache/` never holds a corrupt file written by us. Opening the cache re-hashes *every*
/// file in `cache/` (not only recently modified ones: SD cards rot silently, and a full pass
/// over a few hundred MB takes seconds) and quarantines mismatches; `path(for:)` answers only
/// for files verified since opening.
///
/// Thread-safe (a lock guards the in-memory index); file I/O blocks, so call it from a thread
/// that may block, not from an event loop.
public final class ContentCache: @unchecked Sendable {
    public let root: String
    public let configuration: CacheConfiguration
    let logger: Logger
    private let lock = NIOLock()
    /// Verified entries, by address. Guarded by `lock`.
    private var entries: [ContentAddress: CacheEntry] = [:]
    /// What opening the cache found: the gateway logs it and reports it in health.
    public let startupReport: CacheStartupReport
    /// Addresses with a live `ContentDownload`. Guarded by `lock`.
    private var activeDownloads: Set<ContentAddress> = []

    var cacheDirectory: String { root + "/cache" }
    var partialDirectory: String { root + "/partial" }
    var quarantineDirectory: String { root + "/quarantine" }

    func cachedPath(_ address: ContentAddress) -> String { cacheDirectory + "/" + address.hex }
    func partialPath(_ address: ContentAddress) -> String { partialDirectory + "/" + address.hex + ".part" }

    /// Opens the cache under `root`, creating its directories, verifying every cached file and
    /// quarantining the damaged ones. The report says what was found.
    public init(
        root: String,
        configuration: CacheConfiguration = CacheConfiguration(),
        logger: Logger = Logger(label: "loa.gateway.cache")
    ) throws(CacheError) {
        self.root = root
        self.configuration = configuration
        self.logger = logger
        do {
            for directory in ["cache", "partial", "quarantine"].map({ root + "/" + $0 }) {
                try DiskFile.makeDirectory(directory)
            }
            (entries, startupReport) = try Self.recover(root: root, logger: logger)
        } catch {
            throw .disk(error)
        }
    }


    /// The path of verified content, or nil when it is not (or no longer) cached. Marks the
    /// content as used now for LRU eviction.
    public func path(for address: ContentAddress) -> String? {
        let found: Bool = lock.withLock {
            guard let entry = entries[address] else { return false }
            entries[address] = CacheEntry(address: address, size: entry.size, lastUsed: configuration.now())
            return true
        }
        guard found else { return nil }
        let path = cachedPath(address)
        try? DiskFile.setModified(path, to: configuration.now())
        return path
    }

    /// Whether verified content is present, without marking it used.
    public func contains(_ address: ContentAddress) -> Bool {
        lock.withLock { entries[address] != nil }
    }

    /// Every verified entry, sorted by address.
    public var cachedEntries: [CacheEntry] {
        lock.withLock { entries.values.sorted { $0.address < $1.address } }
    }

    /// Bytes held by verified entries.
    public var usedBytes: UInt64 {
        lock.withLock { entries.values.reduce(0) { $0 + $1.size } }
    }

    /// The addresses among `needed` that are not cached: what to ask the controller for.
    public func missing(from needed: Set<ContentAddress>) -> [ContentAddress] {
        lock.withLock { needed.filter { entries[$0] == nil }.sorted() }
    }

    /// Re-hashes cached content (e.g. before playing it after a long uptime); quarantines it
    /// and returns false when it no longer matches.
    public func reverify(_ address: ContentAddress) throws(CacheError) -> Bool {
        guard contains(address) else { return false }
        let path = cachedPath(address)
        do {
            let computed = try ContentHasher.hash(file: path)
            if case .mismatch(let actual) = ContentVerification.check(expected: address, computed: computed.address) {
                forget(address)
                _ = try Self.quarantine(name: address.hex, root: root, reason: "SHA-256 mismatch on re-verification: computed \(actual.hex) over \(computed.size) bytes", logger: logger)
                return false
            }
            return true
        } catch {
            throw .disk(error)
        }
    }

    // MARK: - Index bookkeeping shared with downloads and eviction

    func claimDownload(_ address: ContentAddress) throws(CacheError) {
        let claimed = lock.withLock { activeDownloads.insert(address).inserted }
        guard claimed else { throw .downloadInProgress(address) }
    }

    func releaseDownload(_ address: ContentAddress) {
        _ = lock.withLock { activeDownloads.remove(address) }
    }

    func admit(_ entry: CacheEntry) {
        lock.withLock { entries[entry.address] = entry }
    }

    func forget(_ address: ContentAddress) {
        _ = lock.withLock { entries.removeValue(forKey: address) }
    }
}
