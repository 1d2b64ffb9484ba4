import Foundation
import Testing
@testable import LoaGateway
#if canImport(Glibc)
import Glibc
#endif

/// Where `loa-store-stress` was built.
enum StressTool {
    /// The stress executable, built by `swift build --build-tests` beside the test bundle.
    static let path: String? = {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return directories.map { $0.appendingPathComponent("loa-store-stress").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

/// Starts `loa-store-stress` as a real process, kills it with SIGKILL at seeded random
/// instants, and after every kill checks that the local state kept its promises.
@Suite("Crash torture (kill -9)", .serialized, .enabled(if: StressTool.path != nil, "skipped: loa-store-stress is not built next to the test bundle"))
struct CrashTortureTests {
    /// Mirrors `scheduleDocument` in loa-store-stress.
    static func scheduleDocument(_ version: UInt64) -> Data {
        Data(#"{"version":\#(version),"pad":"\#(String(repeating: "x", count: Int(version &* 37 % 5_000)))"}"#.utf8)
    }

    @Test func invariantsHoldAcrossRandomKills() throws {
        let tool = try #require(StressTool.path)
        let directory = TemporaryDirectory("torture")
        var random = SeededRandom(seed: 20_251_129)
        let deadline = Date().addingTimeInterval(60)
        var rounds = 0
        var lastLoggedVersion: UInt64 = 0
        while rounds < 20, Date() < deadline {
            rounds += 1
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [directory.path, "7"]
            try process.run()
            usleep(UInt32.random(in: 30_000 ... 400_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(rounds): the stress tool stopped by itself (status \(process.terminationStatus))")
            lastLoggedVersion = try checkInvariants(directory.path, round: rounds, atLeast: lastLoggedVersion)
        }
        #expect(rounds >= 5, "too few rounds within the time bound")
        #expect(lastLoggedVersion > 0, "the stress tool never completed a schedule write")
    }

    /// Returns the highest schedule version the log says was saved.
    func checkInvariants(_ root: String, round: Int, atLeast previous: UInt64) throws -> UInt64 {
        // Cache: nothing in cache/ fails its hash (opening re-verifies and would quarantine it).
        let cache = try ContentCache(root: root, configuration: CacheConfiguration(quotaBytes: 1 << 20))
        #expect(cache.startupReport.quarantined.isEmpty, "round \(round): corrupt content reached cache/: \(cache.startupReport.quarantined)")
        for entry in cache.cachedEntries {
            #expect(try ContentHasher.hash(file: cache.cachedPath(entry.address)).address == entry.address)
        }

        // Log of completed operations.
        let log = (try? String(contentsOfFile: root + "/stress.log", encoding: .utf8)) ?? ""
        var saved: UInt64 = 0
        var appended: Set<UUID> = [], intended: Set<UUID> = [], acknowledged: Set<UUID> = []
        for line in log.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "S": saved = max(saved, UInt64(parts[1]) ?? 0)
            case "A": UUID(uuidString: String(parts[1])).map { _ = appended.insert($0) }
            case "I": UUID(uuidString: String(parts[1])).map { _ = intended.insert($0) }
            case "K": UUID(uuidString: String(parts[1])).map { _ = acknowledged.insert($0) }
            default: break
            }
        }

        // Schedule: always one complete version, never older than the last completed save.
        let schedule = try ScheduleStore(directory: root + "/schedule").load()
        if let schedule {
            #expect(schedule.document == Self.scheduleDocument(schedule.version), "round \(round): schedule \(schedule.version) is not the document written")
            #expect(schedule.version >= saved, "round \(round): a completed save (\(saved)) was lost")
        } else {
            #expect(saved == 0, "round \(round): schedule missing after save \(saved)")
        }
        #expect(DiskFile.list(root + "/schedule").allSatisfy { !$0.hasSuffix(".tmp") })

        // Outbox: ids unique; nothing acknowledged reappears; no appended play event is lost.
        let pending = try Outbox(path: root + "/outbox.sqlite", healthLimit: 5).pending(limit: .max)
        let ids = pending.map(\.id)
        #expect(Set(ids).count == ids.count, "round \(round): duplicate ids pending")
        #expect(acknowledged.isDisjoint(with: ids), "round \(round): an acknowledged item reappeared")
        let lost = appended.subtracting(ids).subtracting(intended)
        #expect(lost.isEmpty, "round \(round): \(lost.count) appended play events vanished without acknowledgement")
        #expect(saved >= previous)
        return saved
    }
}
