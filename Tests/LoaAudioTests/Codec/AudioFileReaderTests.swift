import Foundation
import Testing
@testable import LoaAudio

/// The slice reader the gateway plays from: its slices add up to the file, and what cannot be
/// read is named.
@Suite struct AudioFileReaderTests {
    @Test func slicesAddUpToTheFileAndEndEmpty() throws {
        let dir = try TemporaryDirectory("loa-reader")
        defer { dir.cleanup() }
        let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir.path("f.mp3")))

        let reader = try AudioFileReader(path: dir.path("f.mp3"))
        var joined = [UInt8]()
        var sizes = [Int]()
        while true {
            let slice = try reader.read(upTo: 16 * 1024)
            if slice.isEmpty { break }
            sizes.append(slice.count)
            joined += slice
        }
        #expect(joined == bytes)
        #expect(sizes == [16384, 16384, 16384, 16384, 16384, 16384, 1699])
        #expect(try reader.read(upTo: 10).isEmpty)
    }

    @Test func aMissingFileOrADirectoryIsUnreadable() throws {
        let dir = try TemporaryDirectory("loa-reader")
        defer { dir.cleanup() }
        #expect(throws: AudioFileError.unreadable(dir.path("absent.mp3"))) {
            try AudioFileReader(path: dir.path("absent.mp3"))
        }
        #expect(throws: AudioFileError.unreadable(dir.url.path)) { try AudioFileReader(path: dir.url.path) }
    }
}
