import Foundation
import Testing
@testable import LoaAudio

/// Each streaming piece against its whole-buffer counterpart: same samples, same measurement,
/// same bytes, whatever the chunk size.
@Suite struct StreamingCodecTests {
    /// A chirp with a little noise, different in each channel, so every filter has work to do.
    static func signal(seconds: Double, format: AudioFormat) -> PCMBuffer {
        let frames = Int(seconds * Double(format.sampleRate))
        var samples = [Float](repeating: 0, count: frames * format.channels)
        var state: UInt64 = 3
        for i in 0..<frames {
            let t = Double(i) / Double(format.sampleRate)
            for c in 0..<format.channels {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23) * 0.01
                samples[i * format.channels + c] = Float(0.4 * sin(2 * .pi * (200 + 900 * t) * t + Double(c))) + noise
            }
        }
        return PCMBuffer(format: format, samples: samples)
    }

    @Test(arguments: WAVSampleFormat.allCases, [1, 777, 16_384])
    func theWAVStreamReaderReturnsWhatDecodeDoes(sampleFormat: WAVSampleFormat, chunk: Int) throws {
        let bytes = WAVFile(audio: Self.signal(seconds: 0.5, format: AudioFormat(sampleRate: 22_050, channels: 2)),
                            sampleFormat: sampleFormat).encoded()
        var reader = try WAVStreamReader(ByteArraySource(bytes))
        var streamed = PCMBuffer(format: reader.format)
        while let part = try reader.next(maxFrames: chunk) { streamed.append(part) }
        #expect(streamed == (try WAVFile.decode(bytes)).audio)
        #expect(reader.frameCount == streamed.frameCount)
    }

    @Test func theWAVStreamReaderRefusesLikeDecode() throws {
        let good = WAVFile(audio: Self.signal(seconds: 0.2, format: AudioFormat(sampleRate: 8_000, channels: 1))).encoded()
        for bad in [[], Array(good.prefix(30)), Array(good.prefix(good.count / 2)), Array("RIFF....WAVEjunk".utf8)] {
            var whole: AudioError?
            do { _ = try WAVFile.decode(bad) } catch let e as AudioError { whole = e }
            var streamed: AudioError?
            do { _ = try WAVStreamReader(ByteArraySource(bad)) } catch let e as AudioError { streamed = e }
            #expect(whole != nil && streamed == whole)
        }
    }

    @Test(arguments: [AudioFormat(sampleRate: 48_000, channels: 2), AudioFormat(sampleRate: 24_000, channels: 1),
                      AudioFormat(sampleRate: 44_100, channels: 6)])
    func theStreamingMeterMeasuresWhatTheMeterDoes(format: AudioFormat) {
        let buffer = Self.signal(seconds: 2.3, format: format)
        var meter = StreamingLoudnessMeter(format: format)
        for start in stride(from: 0, to: buffer.frameCount, by: 1_234) { meter.add(buffer.frames(from: start, count: 1_234)) }
        #expect(meter.finish() == LoudnessMeter().measure(buffer))
    }

    @Test func theConverterConvertsWhatConvertDoes() throws {
        let buffer = Self.signal(seconds: 1.1, format: AudioFormat(sampleRate: 44_100, channels: 2))
        var converter = try AudioConverter(from: buffer.format, to: .speech)
        var streamed = PCMBuffer(format: .speech)
        for start in stride(from: 0, to: buffer.frameCount, by: 999) { streamed.append(converter.process(buffer.frames(from: start, count: 999))) }
        streamed.append(converter.flush())
        #expect(streamed == (try AudioConversion.convert(buffer, to: .speech)))
    }

    @Test(arguments: [MP3EncoderSettings.speech, MP3EncoderSettings(sampleRate: 44_100, channels: 2, bitrate: .constant(kbps: 128)),
                      MP3EncoderSettings(sampleRate: 24_000, channels: 1, bitrate: .variable(quality: 4))])
    func theStreamEncoderEndsTheStreamAsEncodeAllDoes(settings: MP3EncoderSettings) throws {
        let buffer = Self.signal(seconds: 1.7, format: settings.format)
        let encoder = try MP3StreamEncoder(settings: settings)
        var stream: [UInt8] = []
        for start in stride(from: 0, to: buffer.frameCount, by: 5_000) { stream += try encoder.encode(buffer.frames(from: start, count: 5_000)) }
        let ending = try encoder.finish()
        stream += ending.tail
        switch ending.start {
        case .none: break
        case .overwrite(let tag): stream.replaceSubrange(0..<tag.count, with: tag)
        case .prepend(let frame): stream.insert(contentsOf: frame, at: 0)
        }
        #expect(stream == (try MP3Encoder.encodeAll(buffer, settings: settings)))
        let mp3 = try MP3Encoder.encodeAll(buffer, settings: settings)
        #expect(try MP3StreamScanner.scan(ByteArraySource(mp3), chunkBytes: 333) == MP3Scanner.scan(mp3).info)
        // And the streaming decoder returns what the whole-file decoder does.
        var decoder = try AudioStreamDecoder(ByteArraySource(mp3))
        var decoded: PCMBuffer?
        while let part = try decoder.next() {
            if decoded == nil { decoded = part } else { decoded!.append(part) }
        }
        #expect(decoded == (try AudioFile.decode(mp3)).audio)
    }

    @Test func theStreamingScanRefusesLikeTheScanner() throws {
        let mp3 = try MP3Encoder.encodeAll(Self.signal(seconds: 1, format: .speech), settings: .speech)
        let tagged = mp3 + Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 125)
        #expect(try MP3StreamScanner.scan(ByteArraySource(tagged), chunkBytes: 100) == MP3Scanner.scan(tagged).info)
        let cases: [[UInt8]] = [[], Array(repeating: 0x41, count: 5_000), [0xFF, 0xFB, 0x90, 0x00] + Array(repeating: 7, count: 3_000),
                                Array(mp3.prefix(mp3.count - 50))]
        for bytes in cases {
            var whole: MP3ParseError?
            do { _ = try MP3Scanner.scan(bytes) } catch let e as MP3ParseError { whole = e } catch {}
            var streamed: MP3ParseError?
            do { _ = try MP3StreamScanner.scan(ByteArraySource(bytes)) } catch let e as MP3ParseError { streamed = e } catch {}
            #expect(whole != nil && streamed == whole)
        }
    }
}
