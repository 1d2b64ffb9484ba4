import Foundation
import Testing
@testable import LoaGateway

@Suite("Content cache startup")
struct ContentCacheStartupTests {
    let directory = TemporaryDirectory("cache-startup")

    func openCache() throws -> ContentCache {
        try ContentCache(root: directory.path, configuration: CacheConfiguration(quotaBytes: 1 << 20))
    }

    func cacheContent(_ bytes: [UInt8], in cache: ContentCache) throws -> ContentAddress {
        let address = ContentAddress(of: bytes)
        guard case .download(let download) = try cache.beginDownload(address, expectedSize: UInt64(bytes.count), needed: []) else {
            return address
        }
        _ = try download.append(bytes)
        return address
    }

    @Test func damagedCachedFileIsQuarantinedAndNotReturned() throws {
        let good = Array(repeating: UInt8(7), count: 4_000)
        let bad = Array(repeating: UInt8(9), count: 4_000)
        var goodAddress: ContentAddress, badAddress: ContentAddress
        do {
            let cache = try openCache()
            goodAddress = try cacheContent(good, in: cache)
            badAddress = try cacheContent(bad, in: cache)
            #expect(cache.path(for: badAddress) != nil)
        }
        // Bit rot on the SD card while the gateway was off.
        let handle = try #require(FileHandle(forUpdatingAtPath: directory.file("cache/\(badAddress.hex)")))
        try handle.seek(toOffset: 1_234)
        try handle.write(contentsOf: [0x00])
        try handle.close()

        let cache = try openCache()
        #expect(cache.path(for: goodAddress) != nil)
        #expect(cache.path(for: badAddress) == nil)
        #expect(cache.startupReport.verified == 1)
        let quarantined = try #require(cache.startupReport.quarantined.first)
        #expect(quarantined.name == badAddress.hex)
        #expect(quarantined.reason.contains("SHA-256 mismatch"))
        #expect(quarantined.path == directory.file("quarantine/\(badAddress.hex)"))
        #expect(FileManager.default.fileExists(atPath: quarantined.path))
        let reason = try String(contentsOfFile: quarantined.path + ".reason", encoding: .utf8)
        #expect(reason.contains("SHA-256 mismatch"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("cache/\(badAddress.hex)")))
        #expect(cache.missing(from: [goodAddress, badAddress]) == [badAddress], "the gateway will download it again")
    }

    @Test func strayFilesAreQuarantinedOrRemoved() throws {
        for sub in ["cache", "partial"] {
            try FileManager.default.createDirectory(atPath: directory.file(sub), withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: directory.file("cache/notes.txt"), contents: Data("x".utf8))
        _ = FileManager.default.createFile(atPath: directory.file("partial/junk.tmp"), contents: Data("x".utf8))
        let cache = try openCache()
        #expect(cache.startupReport.quarantined.map(\.name) == ["notes.txt"])
        #expect(cache.startupReport.removed == ["junk.tmp"])
        #expect(DiskFile.list(directory.file("partial")).isEmpty)
    }

    @Test func quarantineKeepsEarlierEvidence() throws {
        let bytes = Array(repeating: UInt8(3), count: 100)
        let address = ContentAddress(of: bytes)
        for _ in 0 ..< 2 {
            let cache = try openCache()
            _ = try cacheContent(bytes, in: cache)
            _ = FileManager.default.createFile(atPath: directory.file("cache/\(address.hex)"), contents: Data("rotten".utf8))
        }
        _ = try openCache()
        let names = DiskFile.list(directory.file("quarantine"))
        #expect(names == [address.hex, address.hex + ".1", address.hex + ".1.reason", address.hex + ".reason"])
    }

    @Test func reverifyQuarantinesContentDamagedAfterStartup() throws {
        let cache = try openCache()
        let address = try cacheContent(Array(repeating: UInt8(5), count: 500), in: cache)
        #expect(try cache.reverify(address))
        _ = FileManager.default.createFile(atPath: directory.file("cache/\(address.hex)"), contents: Data("rotten".utf8))
        #expect(try !cache.reverify(address))
        #expect(cache.path(for: address) == nil)
    }

    @Test func localStateOpensAllThreeStores() throws {
        let state = try LocalState(root: directory.file("state"))
        try state.schedule.save(StoredSchedule(version: 1, document: Data("{}".utf8)))
        try state.outbox.append(.playEvent, payload: Data("p".utf8))
        let reopened = try LocalState(root: directory.file("state"))
        #expect(try reopened.schedule.load()?.version == 1)
        #expect(try reopened.outbox.pendingCount() == 1)
        #expect(reopened.cache.cachedEntries.isEmpty)
    }
}
