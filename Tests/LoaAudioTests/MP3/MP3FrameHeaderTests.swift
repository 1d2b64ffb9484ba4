import Foundation
import Testing
@testable import LoaAudio

@Suite("MP3 frame header and tags")
struct MP3FrameHeaderTests {
    struct Case: Sendable, CustomStringConvertible {
        var bytes: [UInt8]
        var version: MP3FrameHeader.Version
        var bitrate: Int, sampleRate: Int, channels: Int, samplesPerFrame: Int, frameLength: Int
        var description: String { bytes.map { String(format: "%02X", $0) }.joined() }
    }

    static let cases: [Case] = [
        Case(bytes: [0xFF, 0xFB, 0x90, 0x64], version: .mpeg1, bitrate: 128, sampleRate: 44_100, channels: 2, samplesPerFrame: 1152, frameLength: 417),
        Case(bytes: [0xFF, 0xFB, 0x92, 0x64], version: .mpeg1, bitrate: 128, sampleRate: 44_100, channels: 2, samplesPerFrame: 1152, frameLength: 418),
        Case(bytes: [0xFF, 0xFB, 0x94, 0xC4], version: .mpeg1, bitrate: 128, sampleRate: 48_000, channels: 1, samplesPerFrame: 1152, frameLength: 384),
        Case(bytes: [0xFF, 0xF3, 0x64, 0xC4], version: .mpeg2, bitrate: 48, sampleRate: 24_000, channels: 1, samplesPerFrame: 576, frameLength: 144),
        Case(bytes: [0xFF, 0xF3, 0x40, 0xC4], version: .mpeg2, bitrate: 32, sampleRate: 22_050, channels: 1, samplesPerFrame: 576, frameLength: 104),
        Case(bytes: [0xFF, 0xE3, 0x18, 0xC4], version: .mpeg25, bitrate: 8, sampleRate: 8_000, channels: 1, samplesPerFrame: 576, frameLength: 72),
    ]

    @Test("known headers decode to the right fields", arguments: cases)
    func decode(_ c: Case) throws {
        let h = try #require(MP3FrameHeader(c.bytes[0], c.bytes[1], c.bytes[2], c.bytes[3]))
        #expect(h.version == c.version && h.layer == 3)
        #expect(h.bitrate == c.bitrate && h.sampleRate == c.sampleRate && h.channels == c.channels)
        #expect(h.samplesPerFrame == c.samplesPerFrame && h.frameLength == c.frameLength)
    }

    @Test("invalid headers are refused", arguments: [
        [0xFF, 0xFB, 0xF0, 0x64],   // bitrate index 15
        [0xFF, 0xFB, 0x00, 0x64],   // free format
        [0xFF, 0xFB, 0x9C, 0x64],   // sample-rate index 3
        [0xFF, 0xEB, 0x90, 0x64],   // reserved version
        [0xFF, 0xFD, 0x90, 0x64],   // Layer II
        [0xFF, 0xFB, 0x90, 0x66],   // reserved emphasis
        [0xFE, 0xFB, 0x90, 0x64],   // no sync
    ] as [[UInt8]])
    func refuse(_ b: [UInt8]) {
        #expect(MP3FrameHeader(b[0], b[1], b[2], b[3]) == nil)
    }

    @Test("ID3v2 size is syncsafe and counts a footer")
    func id3v2() {
        let plain: [UInt8] = Array("ID3".utf8) + [4, 0, 0x00, 0x00, 0x00, 0x02, 0x01]
        let footer: [UInt8] = Array("ID3".utf8) + [4, 0, 0x10, 0x00, 0x00, 0x02, 0x01]
        let bad: [UInt8] = Array("ID3".utf8) + [4, 0, 0x00, 0x00, 0x00, 0x82, 0x01]
        #expect(plain.withUnsafeBytes { MP3Tags.id3v2Length($0, at: 0) } == 10 + 257)
        #expect(footer.withUnsafeBytes { MP3Tags.id3v2Length($0, at: 0) } == 10 + 257 + 10)
        #expect(bad.withUnsafeBytes { MP3Tags.id3v2Length($0, at: 0) } == nil)
    }

    @Test("an ID3v2.4 tag with a footer in front of real frames is skipped")
    func id3v2FooterBeforeAudio() throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let audio = [UInt8](try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lameNoTag.make(in: dir))))
        let body = [UInt8](repeating: 0xFF, count: 300)   // sync-like bytes inside the tag must not matter
        let tag: [UInt8] = Array("ID3".utf8) + [4, 0, 0x10, 0x00, 0x00, 0x02, 0x2C] + body + Array("3DI".utf8) + [4, 0, 0x10, 0x00, 0x00, 0x02, 0x2C]
        let stream = try MP3Scanner.scan(tag + audio)
        #expect(stream.leadingTagBytes == tag.count)
        #expect(stream.frames.count == (try MP3Scanner.scan(audio)).frames.count)
        #expect(stream.frames.first?.offset == tag.count)
    }

    @Test("a VBRI header is read and its frame kept out of the audio")
    func vbri() throws {
        let header: [UInt8] = [0xFF, 0xFB, 0x90, 0x64]   // 417-byte frames
        var first = header + [UInt8](repeating: 0, count: 413)
        let fields: [UInt8] = Array("VBRI".utf8) + [0, 1, 0x02, 0x40, 0, 75] + [0, 0, 0x20, 0x00] + [0, 0, 0, 9]
        first.replaceSubrange(36..<(36 + fields.count), with: fields)
        var bytes = first
        for _ in 0..<9 { bytes += header + [UInt8](repeating: 0x11, count: 413) }
        let stream = try MP3Scanner.scan(bytes)
        let vbri = try #require(stream.vbri)
        #expect(vbri.frames == 9 && vbri.bytes == 8192 && vbri.delay == 576 && vbri.quality == 75)
        #expect(stream.tagFrame?.offset == 0)
        #expect(stream.frames.count == 9 && stream.info.isVBR)
        #expect(!stream.info.isGapless && stream.info.sampleCount == 9 * 1152)
    }
}
