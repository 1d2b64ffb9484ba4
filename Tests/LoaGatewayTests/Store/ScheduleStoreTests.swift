import Foundation
import Testing
@testable import LoaGateway

@Suite("Schedule store")
struct ScheduleStoreTests {
    let directory = TemporaryDirectory("schedule")

    func schedule(_ version: UInt64) -> StoredSchedule {
        StoredSchedule(version: version, document: Data(#"{"version":\#(version),"entries":[]}"#.utf8))
    }

    @Test func emptyStoreLoadsNothing() throws {
        let store = try ScheduleStore(directory: directory.path)
        #expect(try store.load() == nil)
    }

    @Test func savedVersionIsReadBackAfterReopen() throws {
        try ScheduleStore(directory: directory.path).save(schedule(7))
        #expect(try ScheduleStore(directory: directory.path).load() == schedule(7))
    }

    @Test func tornTempFileIsIgnoredAndRemoved() throws {
        try ScheduleStore(directory: directory.path).save(schedule(3))
        // A crash between create and rename leaves a half-written temp file behind.
        let torn = directory.path + "/current.schedule.4242.17.tmp"
        let full = ScheduleFileFormat.encode(schedule(4))
        _ = FileManager.default.createFile(atPath: torn, contents: Data(full.prefix(full.count / 2)))

        let reopened = try ScheduleStore(directory: directory.path)
        #expect(try reopened.load() == schedule(3))
        #expect(!FileManager.default.fileExists(atPath: torn))
    }

    @Test("same version is idempotent, older is refused", arguments: [
        (UInt64(5), ScheduleUpdate.alreadyStored, UInt64(5)),
        (UInt64(4), ScheduleUpdate.olderThanStored(stored: 5), UInt64(5)),
        (UInt64(6), ScheduleUpdate.store, UInt64(6)),
    ])
    func versionDecisions(incoming: UInt64, expected: ScheduleUpdate, stored: UInt64) throws {
        let store = try ScheduleStore(directory: directory.path)
        try store.save(schedule(5))
        #expect(try store.save(schedule(incoming)) == expected)
        #expect(try store.load()?.version == stored)
    }

    @Test func damagedCurrentFallsBackToPrevious() throws {
        let store = try ScheduleStore(directory: directory.path)
        try store.save(schedule(1))
        try store.save(schedule(2))
        var bytes = [UInt8](FileManager.default.contents(atPath: store.currentPath)!)
        bytes[bytes.count - 3] ^= 0xFF
        _ = FileManager.default.createFile(atPath: store.currentPath, contents: Data(bytes))
        #expect(try store.load() == schedule(1))
    }

    @Test func bothDamagedIsAClearError() throws {
        let store = try ScheduleStore(directory: directory.path)
        try store.save(schedule(1))
        _ = FileManager.default.createFile(atPath: store.currentPath, contents: Data("garbage".utf8))
        #expect(throws: ScheduleStoreError.self) { try store.load() }
    }

    @Test("format rejects damaged bytes", arguments: [
        ("short", ScheduleFileFormat.Defect.tooShort(bytes: 5)),
        ("magic", .wrongMagic),
        ("length", .lengthMismatch(declared: 11, present: 10)),
        ("checksum", .checksumMismatch),
    ])
    func formatDefects(damage: String, expected: ScheduleFileFormat.Defect) {
        var bytes = ScheduleFileFormat.encode(StoredSchedule(version: 9, document: Data("hello world".utf8)))
        switch damage {
        case "short": bytes = Array(bytes.prefix(5))
        case "magic": bytes[0] = UInt8(ascii: "X")
        case "length": bytes.removeLast()
        default: bytes[bytes.count - 1] ^= 1
        }
        #expect(ScheduleFileFormat.decode(bytes) == .failure(expected))
    }

    @Test func formatRoundTrips() {
        let original = StoredSchedule(version: .max, document: Data([0, 1, 2, 255]))
        #expect(ScheduleFileFormat.decode(ScheduleFileFormat.encode(original)) == .success(original))
    }
}
