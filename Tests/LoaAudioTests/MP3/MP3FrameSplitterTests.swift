import Foundation
import Testing
@testable import LoaAudio

@Suite("MP3 frame splitter fed in chunks")
struct MP3FrameSplitterTests {
    private func split(_ bytes: [UInt8], chunkSizes: () -> Int) -> (frames: [MP3FrameSplitter.Frame], splitter: MP3FrameSplitter) {
        var splitter = MP3FrameSplitter()
        var frames: [MP3FrameSplitter.Frame] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSizes())
            frames += splitter.append(bytes[start..<end])
            start = end
        }
        frames += splitter.finish()
        return (frames, splitter)
    }

    @Test("chunks of 1, 7 and random sizes give the whole-file frames", arguments: [MP3Fixture.ffmpegSpeech48k, .lameVBRV5Stereo, .lameID3v1Only])
    func chunked(fixture: MP3Fixture) throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.make(in: dir))))
        let stream = try MP3Scanner.scan(bytes)
        let expected = ([stream.tagFrame].compactMap { $0 } + stream.frames)
        var generator = SystemRandomNumberGenerator()
        for sizes in ["1", "7", "random"] {
            let (frames, splitter) = split(bytes) {
                switch sizes {
                case "1": return 1
                case "7": return 7
                default: return Int.random(in: 1...3_000, using: &generator)
                }
            }
            #expect(frames.map { MP3Frame(offset: $0.offset, length: $0.bytes.count, header: $0.header) } == expected, "chunks \(sizes)")
            #expect(frames.allSatisfy { Array(bytes[$0.offset..<($0.offset + $0.bytes.count)]) == $0.bytes })
            #expect(splitter.tagBytes == stream.leadingTagBytes)
            // A trailing ID3v1 tag is left over as unframed bytes, not mistaken for a frame.
            #expect(splitter.skippedBytes == stream.trailingTagBytes)
            #expect(splitter.truncation == nil)
            #expect(frames.map(\.isTagFrame) == [stream.tagFrame != nil] + [Bool](repeating: false, count: stream.frames.count))
        }
    }

    @Test("once in sync, a frame comes out as soon as its last byte arrives")
    func latency() throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lameNoTag.make(in: dir))))
        let frames = try MP3Scanner.scan(bytes).frames
        var splitter = MP3FrameSplitter()
        // The first frame needs three more headers to be believed…
        #expect(splitter.append(bytes[0..<(frames[3].offset + 3)]).isEmpty)
        #expect(splitter.append(bytes[(frames[3].offset + 3)..<(frames[3].offset + 4)]).count == 3)
        // …then each frame is out the moment it is complete.
        #expect(splitter.append(bytes[(frames[3].offset + 4)..<(frames[4].offset - 1)]).isEmpty)
        #expect(splitter.append(bytes[(frames[4].offset - 1)..<frames[4].offset]).count == 1)
    }

    @Test("random bytes yield no frames from the splitter either")
    func noise() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let (frames, splitter) = split(bytes) { Int.random(in: 1...4_096, using: &generator) }
        #expect(frames.isEmpty)
        #expect(splitter.skippedBytes == bytes.count)
    }
}
