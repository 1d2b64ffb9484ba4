import Foundation
import LoaAudio
import Testing
@testable import LoaUpstream

/// The FFmpeg adapter against real upstreams on loopback: files made by the `ffmpeg` program (a
/// sine as MP3, as AAC in ADTS, as HLS playlists of AAC and of MP3 segments) served by a real
/// HTTP server (Python's), plus the bad upstreams an operator will meet.
@Suite(.serialized, .enabled(if: UpstreamFixtures.available, "needs ffmpeg and python3"))
struct UpstreamAudioReaderTests {
    /// Reads everything and measures it: duration and the tone's frequency from zero crossings.
    func readAll(_ url: String, stallTimeout: Duration = .seconds(10)) throws -> (seconds: Double, hz: Double, reader: UpstreamAudioReader) {
        let reader = UpstreamAudioReader(url: url, settings: .init(format: .speech, stallTimeout: stallTimeout))
        try reader.open()
        var samples: [Float] = []
        while let buffer = try reader.read() {
            #expect(buffer.format == .speech && buffer.frameCount > 0)
            samples += buffer.samples
        }
        let seconds = Double(samples.count) / 24_000
        // The middle only (the encoders ramp in and out), sign changes counted.
        let middle = Array(samples.dropFirst(2_400).dropLast(2_400))
        var crossings = 0
        for index in middle.indices.dropFirst() where (middle[index - 1] < 0) != (middle[index] < 0) { crossings += 1 }
        return (seconds, Double(crossings) / 2 / max(0.001, Double(middle.count) / 24_000), reader)
    }

    @Test(arguments: ["tone.mp3", "tone.aac", "hls-mp3/live.m3u8", "hls-aac/live.m3u8"])
    func decodesAToneServedOverHTTP(path: String) throws {
        let fixtures = try #require(UpstreamFixtures.shared)
        let (seconds, hz, reader) = try readAll(fixtures.url(path))
        #expect(abs(seconds - 4) < 0.3, "\(path): \(seconds) s of audio, the source has 4 s")
        #expect(abs(hz - 440) < 5, "\(path): \(hz) Hz, the source is 440 Hz")
        #expect(reader.source.sampleRate == 44_100 && reader.source.channels == 2, "\(reader.source)")
        print("upstream \(path): \(reader.source), \(seconds) s, \(hz) Hz")
    }

    /// A relay reads for hours: FFmpeg's seek index, one entry per MP3 or ADTS frame by default
    /// (~38 a second), must not grow with what was read (4 s of tone is ~150 frames).
    @Test(arguments: ["tone.mp3", "tone.aac"])
    func theDemuxersIndexStaysBounded(path: String) throws {
        let fixtures = try #require(UpstreamFixtures.shared)
        let (seconds, _, reader) = try readAll(fixtures.url(path))
        #expect(seconds > 3.5)
        #expect(reader.indexEntries <= 2, "\(path): \(reader.indexEntries) index entries after \(seconds) s")
    }

    @Test func aLocalFileIsReadToo() throws {
        let fixtures = try #require(UpstreamFixtures.shared)
        let (seconds, hz, reader) = try readAll(fixtures.directory + "/tone.aac")
        #expect(abs(seconds - 4) < 0.3 && abs(hz - 440) < 5, "\(seconds) s, \(hz) Hz")
        #expect(reader.source.codec == "aac", "\(reader.source)")
    }

    /// An HLS playlist's bytes are its segments', not just the playlist's (4 s at 96 kbit/s is
    /// about 48 kB; the playlist itself is a few hundred bytes).
    @Test func anHLSUpstreamCountsItsSegmentsBytes() throws {
        let fixtures = try #require(UpstreamFixtures.shared)
        let (_, _, reader) = try readAll(fixtures.url("hls-aac/live.m3u8"))
        #expect(reader.bytesRead > 30_000, "\(reader.bytesRead) bytes counted")
    }

    @Test func badUpstreamsAreRefusedWithTheirReason() throws {
        let fixtures = try #require(UpstreamFixtures.shared)
        let refused = "http://127.0.0.1:\(UpstreamFixtures.closedPort())/stream"
        refuses(refused) { if case .unreachable(refused, let reason) = $0 { reason.contains("refused") } else { false } }
        let missing = fixtures.url("no-such-mount.mp3")
        refuses(missing) { if case .unreachable(missing, let reason) = $0 { reason.contains("404") } else { false } }
        let html = fixtures.url("page.html")
        refuses(html) { if case .notAudio(html, _) = $0 { true } else { false } }
        let image = fixtures.url("image.png")
        refuses(image) { if case .notAudio(image, let reason) = $0 { reason.contains("no audio stream") } else { false } }
        let broken = fixtures.url("hls-broken/live.m3u8")
        refuses(broken) { $0.description.contains(broken) }
        let loop = fixtures.url("loop/vov1.mp3")
        refuses(loop) { if case .unreachable(loop, let reason) = $0 { reason.contains("redirect loop") } else { false } }
        let noise = fixtures.url("noise")
        refuses(noise) { error in
            switch error {
            case .notAudio(noise, _), .decodeFailed(noise, _): true
            default: false
            }
        }
    }

    @Test func anUpstreamThatSendsNothingTimesOut() throws {
        let silent = try SilentServer()
        let url = "http://127.0.0.1:\(silent.port)/stream"
        let started = ContinuousClock.now
        let reader = UpstreamAudioReader(url: url, settings: .init(stallTimeout: .seconds(1)))
        #expect(throws: UpstreamError.stalled(url: url, seconds: 1)) { try reader.open() }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(UpstreamError.stalled(url: url, seconds: 1).description == "upstream \(url) sent nothing for 1 s")
    }

    @Test func cancelEndsABlockedOpen() throws {
        let silent = try SilentServer()
        let url = "http://127.0.0.1:\(silent.port)/stream"
        let reader = UpstreamAudioReader(url: url, settings: .init(stallTimeout: .seconds(60)))
        let box = ErrorBox()
        let thread = Thread {
            do { try reader.open() } catch { box.set(error) }
        }
        thread.start()
        usleep(300_000)
        let cancelled = ContinuousClock.now
        reader.cancel()
        while box.error == nil, ContinuousClock.now - cancelled < .seconds(10) { usleep(10_000) }
        #expect(box.error as? UpstreamError == .cancelled(url: url), "\(String(describing: box.error))")
        _ = silent
    }

    /// Opening and reading `url` fails with an error `matches` accepts.
    func refuses(_ url: String, sourceLocation: SourceLocation = #_sourceLocation, matches: (UpstreamError) -> Bool) {
        let reader = UpstreamAudioReader(url: url, settings: .init(stallTimeout: .seconds(5)))
        do {
            try reader.open()
            while try reader.read() != nil {}
            Issue.record("\(url) was read as audio: \(reader.source)", sourceLocation: sourceLocation)
        } catch {
            print("refused: \(error)")
            #expect(matches(error), "\(url): \(error)", sourceLocation: sourceLocation)
        }
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    var error: (any Error)? { lock.withLock { stored } }
    func set(_ error: any Error) { lock.withLock { stored = error } }
}
