import Foundation
import Testing
@testable import LoaGateway

/// A 64 KiB tmpfs mounted for one test, so ENOSPC is real and quick.
final class SmallTmpfs {
    let directory = TemporaryDirectory("tmpfs")
    var path: String { directory.path }

    init?() {
        guard Self.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", directory.path]) else { return nil }
    }

    deinit { _ = Self.run(["umount", directory.path]) }

    /// Mounting needs root (CAP_SYS_ADMIN); probed once per test run.
    static let isPermitted: Bool = SmallTmpfs() != nil

    @discardableResult
    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

@Suite("Disk full", .serialized, .enabled(if: SmallTmpfs.isPermitted, "skipped: cannot mount a 64 KiB tmpfs (needs root / CAP_SYS_ADMIN)"))
struct DiskFullTests {
    @Test func fullDiskIsAClearErrorAndLeavesTheCacheConsistent() throws {
        let tmpfs = try #require(SmallTmpfs())
        let cache = try ContentCache(root: tmpfs.path, configuration: CacheConfiguration(quotaBytes: 1 << 20))
        let bytes = (0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let address = ContentAddress(of: bytes)
        try fillDisk(cache: cache, bytes: bytes, address: address, tmpfs: tmpfs)

        // After freeing space (the writer is gone, the partial discarded) downloads work again.
        try cache.discardPartial(address)
        let reopened = try ContentCache(root: tmpfs.path, configuration: CacheConfiguration(quotaBytes: 1 << 20))
        let small = Array(bytes.prefix(10_000))
        guard case .download(let retry) = try reopened.beginDownload(ContentAddress(of: small), expectedSize: 10_000, needed: []) else {
            Issue.record("expected a download"); return
        }
        #expect(try retry.append(small) == .cached(path: reopened.cachedPath(ContentAddress(of: small))))
    }

    func fillDisk(cache: ContentCache, bytes: [UInt8], address: ContentAddress, tmpfs: SmallTmpfs) throws {
        guard case .download(let download) = try cache.beginDownload(address, expectedSize: 200_000, needed: []) else {
            Issue.record("expected a download"); return
        }
        var failure: CacheError?
        for start in stride(from: 0, to: bytes.count, by: 8_192) {
            do { _ = try download.append(bytes[start ..< min(start + 8_192, bytes.count)]) } catch { failure = error; break }
        }
        guard case .diskFull(address, let offset, 200_000) = failure else {
            Issue.record("expected diskFull, got \(String(describing: failure))"); return
        }
        #expect("\(failure!)".contains("disk full at byte \(offset) of 200000"))
        #expect(offset == download.offset)
        #expect(DiskFile.status(cache.partialPath(address))?.size == offset, "the partial is an intact prefix")
        #expect(Array(FileManager.default.contents(atPath: cache.partialPath(address))!) == Array(bytes.prefix(Int(offset))))
        #expect(cache.path(for: address) == nil)
        #expect(DiskFile.list(cache.cacheDirectory).isEmpty)

        // A schedule write on the full disk fails cleanly and the old version survives.
        let store = try? ScheduleStore(directory: tmpfs.path + "/schedule")
        if let store {
            #expect(throws: ScheduleStoreError.self) {
                try store.save(StoredSchedule(version: 2, document: Data(repeating: 65, count: 100_000)))
            }
            #expect(DiskFile.list(store.directory).allSatisfy { !$0.hasSuffix(".tmp") }, "no temp file is left behind")
        }

    }
}
