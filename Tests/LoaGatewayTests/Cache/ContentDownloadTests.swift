import Foundation
import Testing
@testable import LoaGateway

@Suite("Content downloads")
struct ContentDownloadTests {
    let directory = TemporaryDirectory("cache")
    let clock = ManualClock()

    func openCache(quota: UInt64 = 1 << 20, sync: CacheConfiguration.PartialSync = .everyChunk) throws -> ContentCache {
        try ContentCache(root: directory.path, configuration: CacheConfiguration(quotaBytes: quota, partialSync: sync, now: clock.function))
    }

    static func content(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
        (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    func start(_ cache: ContentCache, _ bytes: [UInt8], needed: Set<ContentAddress> = []) throws -> ContentDownload {
        guard case .download(let download) = try cache.beginDownload(ContentAddress(of: bytes), expectedSize: UInt64(bytes.count), needed: needed) else {
            Issue.record("expected a download to start")
            throw CacheError.downloadClosed(ContentAddress(of: bytes))
        }
        return download
    }

    @Test func interruptedDownloadResumesFromItsOffsetAndEntersTheCache() throws {
        let bytes = Self.content(48_213)
        let address = ContentAddress(of: bytes)
        do {
            let cache = try openCache()
            let download = try start(cache, bytes)
            #expect(download.offset == 0)
            #expect(try download.append(bytes[0 ..< 10_000]) == .needMore(offset: 10_000))
            #expect(try download.append(bytes[10_000 ..< 20_000]) == .needMore(offset: 20_000))
            // The link drops: the writer is dropped mid-way, and so is the process.
        }
        let cache = try openCache()
        #expect(cache.startupReport.partials[address] == 20_000)
        #expect(cache.path(for: address) == nil, "a partial is never served")
        let resumed = try start(cache, bytes)
        #expect(resumed.offset == 20_000)
        #expect(try resumed.append(bytes[20_000 ..< 40_000]) == .needMore(offset: 40_000))
        guard case .cached(let path) = try resumed.append(bytes[40_000...]) else {
            Issue.record("the last chunk should complete the download"); return
        }
        #expect(cache.path(for: address) == path)
        #expect(FileManager.default.contents(atPath: path) == Data(bytes))
        #expect(!FileManager.default.fileExists(atPath: cache.partialPath(address)))
        guard case .cached = try cache.beginDownload(address, expectedSize: UInt64(bytes.count), needed: []) else {
            Issue.record("cached content should not be downloaded again"); return
        }
    }

    @Test func corruptDownloadNeverEntersTheCache() throws {
        let cache = try openCache()
        let bytes = Self.content(5_000)
        let address = ContentAddress(of: bytes)
        let download = try start(cache, bytes)
        var wrong = bytes
        wrong[4_321] ^= 0x40
        _ = try download.append(wrong[0 ..< 2_500])
        #expect(throws: CacheError.hashMismatch(address, size: 5_000, computed: ContentAddress(of: wrong))) {
            try download.append(wrong[2_500...])
        }
        #expect(cache.path(for: address) == nil)
        #expect(DiskFile.list(cache.cacheDirectory).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cache.partialPath(address)), "the partial is discarded")
        #expect(throws: CacheError.downloadClosed(address)) { try download.append([1]) }
        let message = "\(CacheError.hashMismatch(address, size: 5_000, computed: ContentAddress(of: wrong)))"
        #expect(message.contains("SHA-256 mismatch after 5000 bytes") && message.contains("discarded the partial"))
    }

    @Test func chunkPastTheExpectedSizeIsRefused() throws {
        let cache = try openCache()
        let bytes = Self.content(100)
        let download = try start(cache, bytes)
        #expect(throws: CacheError.tooManyBytes(ContentAddress(of: bytes), expectedSize: 100, wouldReach: 101)) {
            try download.append(bytes + [0])
        }
        #expect(download.offset == 0)
    }

    @Test func oneWriterPerContent() throws {
        let cache = try openCache()
        let bytes = Self.content(100)
        let first = try start(cache, bytes)
        #expect(throws: CacheError.downloadInProgress(ContentAddress(of: bytes))) {
            try cache.beginDownload(ContentAddress(of: bytes), expectedSize: 100, needed: [])
        }
        _ = first
    }

    @Test func completePartialLeftByACrashIsVerifiedOnBegin() throws {
        let bytes = Self.content(3_000)
        let address = ContentAddress(of: bytes)
        try FileManager.default.createDirectory(atPath: directory.file("partial"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.file("partial/\(address.hex).part"), contents: Data(bytes))
        let cache = try openCache()
        guard case .cached(let path) = try cache.beginDownload(address, expectedSize: 3_000, needed: []) else {
            Issue.record("a complete partial should be verified and cached"); return
        }
        #expect(cache.path(for: address) == path)
    }

    @Test func makingRoomEvictsUnneededLeastRecentlyUsedOnly() throws {
        let cache = try openCache(quota: 3_000)
        let a = Self.content(1_000, seed: 1), b = Self.content(1_000, seed: 2), c = Self.content(1_000, seed: 3)
        for bytes in [a, b, c] {
            _ = try start(cache, bytes).append(bytes)
            clock.advance(by: 60)
        }
        _ = cache.path(for: ContentAddress(of: a)) // a is now the most recently used
        let d = Self.content(1_000, seed: 4)
        let needed: Set = [ContentAddress(of: b)]
        let download = try start(cache, d, needed: needed)
        #expect(cache.contains(ContentAddress(of: a)))
        #expect(cache.contains(ContentAddress(of: b)), "needed content is never evicted")
        #expect(!cache.contains(ContentAddress(of: c)))
        #expect(!FileManager.default.fileExists(atPath: cache.cachedPath(ContentAddress(of: c))))
        _ = try download.append(d)
        #expect(cache.usedBytes <= 3_000)
    }

    @Test func quotaExceededEvictsNothing() throws {
        let cache = try openCache(quota: 2_000)
        let a = Self.content(1_500, seed: 1)
        _ = try start(cache, a).append(a)
        let big = Self.content(1_000, seed: 9)
        #expect(throws: CacheError.quotaExceeded(ContentAddress(of: big), size: 1_000, quota: 2_000, missingBytes: 500)) {
            try cache.beginDownload(ContentAddress(of: big), expectedSize: 1_000, needed: [ContentAddress(of: a)])
        }
        #expect(cache.contains(ContentAddress(of: a)))
    }

    @Test(arguments: [CacheConfiguration.PartialSync.everyChunk, .everyBytes(4_096), .onlyAtEnd])
    func everySyncPolicyCompletes(policy: CacheConfiguration.PartialSync) throws {
        let cache = try openCache(sync: policy)
        let bytes = Self.content(20_000)
        let download = try start(cache, bytes)
        var progress = ContentDownload.Progress.needMore(offset: 0)
        for start in stride(from: 0, to: bytes.count, by: 3_000) {
            progress = try download.append(bytes[start ..< min(start + 3_000, bytes.count)])
        }
        #expect(progress == .cached(path: cache.cachedPath(ContentAddress(of: bytes))))
    }
}
