import Foundation
import LoaAudio
import Testing
@testable import LoaController

@Suite struct LiveTranscoderTests {
    /// A sine as MP3 in a format unlike the deployment's (44.1 kHz stereo 64 kbit/s), with LAME's tag.
    static func sourceMP3(seconds: Double, frequency: Double, sampleRate: Int = 44_100, channels: Int = 2,
                          kbps: Int = 64) throws -> [UInt8] {
        let frames = Int(seconds * Double(sampleRate))
        var samples = [Float](repeating: 0, count: frames * channels)
        for i in 0..<frames {
            let v = Float(0.3 * sin(2 * .pi * frequency * Double(i) / Double(sampleRate)))
            for c in 0..<channels { samples[i * channels + c] = v }
        }
        let pcm = PCMBuffer(format: AudioFormat(sampleRate: sampleRate, channels: channels), samples: samples)
        return try MP3Encoder.encodeAll(pcm, settings: MP3EncoderSettings(sampleRate: sampleRate, channels: channels,
                                                                           bitrate: .constant(kbps: kbps)))
    }

    /// Power of `frequency` relative to the total (Goertzel), on the middle of the signal.
    static func share(of frequency: Double, in pcm: PCMBuffer) -> Double {
        let x = pcm.channel(0)
        let n = min(x.count / 2, 12_000)
        let start = (x.count - n) / 2
        let w = 2 * Double.pi * frequency / Double(pcm.format.sampleRate)
        var s1 = 0.0, s2 = 0.0, energy = 0.0
        for i in 0..<n {
            let v = Double(x[start + i])
            energy += v * v
            let s = v + 2 * cos(w) * s1 - s2
            s2 = s1
            s1 = s
        }
        let power = s1 * s1 + s2 * s2 - 2 * cos(w) * s1 * s2
        return power / (energy * Double(n) / 2)
    }

    @Test func anyMP3BecomesDeploymentFramesAtAnyChunking() throws {
        let source = try Self.sourceMP3(seconds: 3, frequency: 1_000)
        let transcoder = try LiveTranscoder(target: .speech)
        var frames: [LiveTranscoder.Frame] = []
        var offset = 0
        var size = 1
        while offset < source.count {
            // Chunks of 1, 7, 49 … bytes, cut anywhere.
            let end = min(source.count, offset + size)
            frames += try transcoder.feed(Array(source[offset..<end]))
            offset = end
            size = size * 7 % 5_003 + 1
        }
        frames += try transcoder.finish()
        #expect(transcoder.sourceHeader?.sampleRate == 44_100)
        #expect(transcoder.sourceHeader?.channels == 2)
        #expect(transcoder.hasAudio)
        // Every frame is a 24 kHz mono 48 kbit/s Layer III frame, none is a tag.
        for frame in frames {
            let header = try #require(MP3FrameHeader(frame.bytes[0], frame.bytes[1], frame.bytes[2], frame.bytes[3]))
            #expect(header.sampleRate == 24_000 && header.channels == 1 && header.bitrate == 48)
            #expect(frame.bytes.count == header.frameLength)
            #expect(frame.samples == 576)
            #expect(frame.bytes.withUnsafeBytes { XingTag.parse(frame: $0, header: header) } == nil)
        }
        let bytes = frames.flatMap(\.bytes)
        let decoded = try MP3Decoder.decodeAll(bytes)
        #expect(decoded.format == AudioFormat(sampleRate: 24_000, channels: 1))
        // 3 s of source; the encoder adds its delay and padding (no tag to trim them): under 0.1 s more.
        #expect(decoded.duration > 2.95 && decoded.duration < 3.15, "decoded \(decoded.duration) s")
        #expect(Self.share(of: 1_000, in: decoded) > 0.9)
        #expect(Self.share(of: 1_500, in: decoded) < 0.01)
    }

    @Test func monoAndOtherRatesToo() throws {
        let source = try Self.sourceMP3(seconds: 2, frequency: 700, sampleRate: 16_000, channels: 1, kbps: 32)
        let transcoder = try LiveTranscoder(target: .speech)
        var frames = try transcoder.feed(source)
        frames += try transcoder.finish()
        let decoded = try MP3Decoder.decodeAll(frames.flatMap(\.bytes))
        #expect(decoded.format.sampleRate == 24_000)
        #expect(decoded.duration > 1.95 && decoded.duration < 2.15)
        #expect(Self.share(of: 700, in: decoded) > 0.9)
    }

    @Test func wavTextAndNoiseAreRefusedAtTheirFirstBytes() throws {
        for bytes in [TestAudio.wav(seconds: 0.5), Array("{\"hello\": \"world\"}".utf8), TestAudio.randomBytes(4_096)] {
            let transcoder = try LiveTranscoder(target: .speech)
            #expect(throws: LiveSourceError.self) { _ = try transcoder.feed(Array(bytes.prefix(64))) }
        }
    }

    @Test func junkAfterAnID3TagIsRefusedWithinTheSniffLimit() throws {
        // Starts like MP3 (an ID3 tag) but no frame follows: refused once the sniff limit is passed.
        var bytes = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 10] + [UInt8](repeating: 0x20, count: 10)
        bytes += TestAudio.randomBytes(40_000).map { $0 == 0xFF ? 0 : $0 }
        let transcoder = try LiveTranscoder(target: .speech, sniffBytes: 16 * 1_024)
        var refused: LiveSourceError?
        var fed = 0
        do {
            while fed < bytes.count {
                let end = min(bytes.count, fed + 1_000)
                _ = try transcoder.feed(Array(bytes[fed..<end]))
                fed = end
            }
        } catch {
            refused = error
        }
        guard case .notMP3(let reason)? = refused else {
            Issue.record("not refused: \(String(describing: refused))")
            return
        }
        #expect(reason.contains("no MPEG audio frame"))
        #expect(fed <= 18_000 + 20)
        #expect(!transcoder.hasAudio)
    }

    @Test func anEmptySourceIsRefusedAtTheEnd() throws {
        let transcoder = try LiveTranscoder(target: .speech)
        #expect(throws: LiveSourceError.notMP3("no bytes were sent")) { _ = try transcoder.finish() }
    }
}
