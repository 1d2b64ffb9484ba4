import Foundation
import Testing
@testable import LoaAudio

@Suite("MP3 scanner on files from lame, ffmpeg and sox")
struct MP3ScannerTests {
    @Test("frame count matches ffprobe and sample count matches mpg123", arguments: MP3Fixture.allCases)
    func againstReferences(fixture: MP3Fixture) throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let path = try fixture.make(in: dir)
        let stream = try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: path)))
        let info = stream.info
        #expect(info.audioFrameCount == stream.frames.count)
        #expect(info.audioFrameCount == (try MP3Fixture.ffprobePackets(path)), "\(fixture): \(info)")
        #expect(info.isGapless == fixture.hasLAMETag, "\(fixture): \(info)")
        #expect(info.sampleCount == (try MP3Fixture.mpg123Samples(path, channels: info.channels)), "\(fixture): \(info)")
        #expect(info.isVBR == fixture.isVBR)
        #expect((stream.leadingTagBytes > 0) == fixture.hasID3v2)
        #expect(stream.skippedBytes == 0)
        // Frames tile the audio region with no gaps.
        var next = stream.tagFrame.map { $0.offset + $0.length } ?? stream.frames[0].offset
        for frame in stream.frames {
            #expect(frame.offset == next)
            next = frame.offset + frame.length
        }
        let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(next + stream.trailingTagBytes == fileSize)
    }

    @Test("stream summaries read the headers and tags right")
    func summaries() throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        let cbr = try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lameCBR128Stereo.make(in: dir))))
        #expect(cbr.info.version == .mpeg1 && cbr.info.sampleRate == 44_100 && cbr.info.channels == 2)
        #expect(cbr.info.bitrate == 128 && !cbr.info.isVBR && cbr.info.samplesPerFrame == 1152)
        #expect(cbr.xing?.isInfo == true)
        let lame = try #require(cbr.xing?.lame)
        #expect(lame.encoder.hasPrefix("LAME"))
        #expect(lame.crcMatches)
        #expect(lame.encoderDelay == 576)
        #expect(cbr.xing?.frames == cbr.frames.count)

        let vbr = try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lameVBRV5Stereo.make(in: dir))))
        #expect(vbr.xing?.isInfo == false && vbr.info.isVBR)
        #expect(vbr.xing?.toc?.count == 100)
        #expect(vbr.info.bitrate > 32 && vbr.info.bitrate < 192)

        let speech = try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.ffmpegSpeech48k.make(in: dir))))
        #expect(speech.info.version == .mpeg2 && speech.info.sampleRate == 24_000 && speech.info.channels == 1)
        #expect(speech.info.samplesPerFrame == 576 && speech.info.bitrate == 48)
        #expect(speech.info.encoder?.hasPrefix("Lav") == true)
        // ffmpeg's tag CRC covers a fixed 190 bytes: checkable only when the tag frame is that long.
        let ffmpegVBR = try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.ffmpegVBRq5.make(in: dir))))
        #expect(ffmpegVBR.xing?.lame?.crcMatches == true)
        #expect(ffmpegVBR.info.encoder?.hasPrefix("Lav") == true)

        let low = try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lame8kMPEG25.make(in: dir))))
        #expect(low.info.version == .mpeg25 && low.info.sampleRate == 8_000)

        let v1 = try MP3Scanner.scan(try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.lameID3v1Only.make(in: dir))))
        #expect(v1.trailingTagBytes == 128 && v1.leadingTagBytes == 0)
    }

    @Test("an APEv2 tag and junk at the end are stepped over")
    func apeTag() throws {
        let dir = try TemporaryDirectory("loa-mp3"); defer { dir.cleanup() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: MP3Fixture.ffmpegSpeech48k.make(in: dir))))
        let plain = try MP3Scanner.scan(bytes)
        // APEv2 with header and footer around one item.
        func apeBlock(_ flags: UInt32, size: UInt32) -> [UInt8] {
            Array("APETAGEX".utf8) + le32(2000) + le32(size) + le32(1) + le32(flags) + [UInt8](repeating: 0, count: 8)
        }
        let item: [UInt8] = le32(5) + le32(0) + Array("Title".utf8) + [0] + Array("Xin chào".utf8).prefix(5)
        bytes += apeBlock(0xA000_0000, size: UInt32(item.count + 32)) + item + apeBlock(0x8000_0000, size: UInt32(item.count + 32))
        let tagged = try MP3Scanner.scan(bytes)
        #expect(tagged.frames == plain.frames)
        #expect(tagged.trailingTagBytes == item.count + 64)
    }

    private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
}
