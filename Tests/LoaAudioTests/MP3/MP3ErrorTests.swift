import Foundation
import Testing
@testable import LoaAudio

@Suite("MP3 scanner refuses what is not a whole MP3")
struct MP3ErrorTests {
    @Test("empty input")
    func empty() throws {
        #expect(throws: MP3ParseError.emptyInput) { try MP3Scanner.scan([UInt8]()) }
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        try Data().write(to: URL(fileURLWithPath: dir.path("empty.mp3")))
        #expect(throws: MP3ParseError.emptyInput) { try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: dir.path("empty.mp3")))) }
        #expect(MP3ParseError.emptyInput.description == "empty input: the file has no bytes")
    }

    @Test("random bytes are not mistaken for MP3")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for size in [3, 100, 10_000, 1_000_000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: MP3ParseError.noFramesFound(byteCount: size)) { try MP3Scanner.scan(bytes) }
        }
        // Pathological: sync bytes everywhere.
        let syncs = [UInt8](repeating: 0xFF, count: 5_000)
        #expect(throws: MP3ParseError.self) { try MP3Scanner.scan(syncs) }
    }

    @Test("a text file and a WAV file are not MP3")
    func notAudio() throws {
        let text = Array("Lịch phát thanh: 6 giờ sáng và 17 giờ chiều hằng ngày.\n".utf8)
        #expect(throws: MP3ParseError.noFramesFound(byteCount: text.count)) { try MP3Scanner.scan(text) }
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let wav = dir.path("tone.wav")
        try Tool.check("sox", ["-n", "-r", "24000", "-c", "1", "-b", "16", wav, "synth", "1", "sine", "1000"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: wav)))
        #expect(throws: MP3ParseError.noFramesFound(byteCount: bytes.count)) { try MP3Scanner.scan(bytes) }
        #expect(MP3ParseError.noFramesFound(byteCount: 9).description.hasPrefix("not an MP3"))
    }

    @Test("a truncated file reports the cut frame, or keeps the whole ones when allowed")
    func truncated() throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.ffmpegSpeech48k.make(in: dir))))
        let whole = try MP3Scanner.scan(bytes)
        let last = whole.frames[whole.frames.count - 1]
        let cut = Array(bytes[0..<(last.offset + 50)])
        #expect(throws: MP3ParseError.truncatedFrame(offset: last.offset, expectedLength: last.length, availableLength: 50,
                                                    completeFrames: whole.frames.count)) { try MP3Scanner.scan(cut) }
        let lenient = try MP3Scanner.scan(cut, allowTruncated: true)
        #expect(lenient.frames == Array(whole.frames.dropLast()))
        #expect(lenient.truncation?.offset == last.offset)
        // Only an ID3v2 tag, no audio.
        let tagOnly = Array(bytes[0..<whole.leadingTagBytes])
        #expect(throws: MP3ParseError.noFramesFound(byteCount: tagOnly.count)) { try MP3Scanner.scan(tagOnly) }
    }

    @Test("\"TAG\" 128 bytes before the end of a frame is not taken for an ID3v1 tag")
    func falseID3v1() throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lameNoTag.make(in: dir))))
        let before = try MP3Scanner.scan(bytes)
        bytes.replaceSubrange((bytes.count - 128)..<(bytes.count - 125), with: Array("TAG".utf8))
        let after = try MP3Scanner.scan(bytes)
        #expect(after.frames == before.frames)
        #expect(after.trailingTagBytes == 0)
    }

    @Test("junk in the middle is skipped and sync regained")
    func resync() throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lameNoTag.make(in: dir))))
        let whole = try MP3Scanner.scan(bytes)
        let middle = whole.frames[60]
        let damaged = Array(bytes[0..<middle.offset]) + Array(repeating: 0x55, count: 333) + Array(bytes[middle.offset...])
        let repaired = try MP3Scanner.scan(damaged)
        #expect(repaired.frames.count == whole.frames.count)
        #expect(repaired.skippedBytes == 333)
    }
}
