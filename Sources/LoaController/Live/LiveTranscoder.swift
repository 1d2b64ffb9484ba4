import LoaAudio

/// Source MP3 bytes in (any rate, bitrate and channel count, cut at any byte), deployment-format
/// MP3 frames out, streaming: frame splitter → mpg123 → down-mix or spread → resampler → LAME →
/// frame splitter. Tag frames (Xing/Info/VBRI) are dropped on the way out: a live stream has no
/// length to describe. Bytes that are not MP3 are refused early (`LiveSourceError.notMP3`) before
/// anything is decoded. Not thread-safe: one transcoder belongs to one source request.
public final class LiveTranscoder {
    /// One deployment-format frame.
    public struct Frame: Sendable, Equatable {
        public var bytes: [UInt8]
        /// PCM samples per channel it decodes to (576 at 24 kHz).
        public var samples: Int
    }

    public let target: MP3EncoderSettings
    let sniffBytes: Int
    private var input = MP3FrameSplitter()
    private var output = MP3FrameSplitter(confirmations: 1)
    private let decoder: MP3Decoder
    private let encoder: MP3Encoder
    private var resampler: Resampler?
    private var head: [UInt8] = []
    private var finished = false

    /// Source bytes fed so far.
    public private(set) var receivedBytes = 0
    /// The first source frame's header (rate, channels, bitrate), once the source is known to be MP3.
    public private(set) var sourceHeader: MP3FrameHeader?
    /// Source PCM frames decoded so far; > 0 once the stream has audio.
    public private(set) var decodedFrames = 0

    public init(target: MP3EncoderSettings, sniffBytes: Int = 16 * 1024) throws(LiveSourceError) {
        self.target = target
        self.sniffBytes = sniffBytes
        do {
            decoder = try MP3Decoder()
            encoder = try MP3Encoder(settings: target)
        } catch {
            throw .encodingFailed("\(error)")
        }
    }

    /// True once some source audio has been decoded: the moment a stream goes on air.
    public var hasAudio: Bool { decodedFrames > 0 }

    /// Feeds the next source bytes; returns the deployment frames completed by them.
    public func feed(_ bytes: [UInt8]) throws(LiveSourceError) -> [Frame] {
        precondition(!finished, "LiveTranscoder: feed after finish")
        receivedBytes += bytes.count
        if sourceHeader == nil { try sniff(bytes) }
        let frames = input.append(bytes)
        if sourceHeader == nil {
            if let first = frames.first {
                sourceHeader = first.header
            } else if input.skippedBytes > sniffBytes {
                throw .notMP3("no MPEG audio frame in the first \(input.skippedBytes) bytes")
            }
        }
        return try transcode(frames, ending: false)
    }

    /// The source ended: flushes the decoder, the resampler and the encoder.
    public func finish() throws(LiveSourceError) -> [Frame] {
        guard !finished else { return [] }
        let frames = input.finish()
        if sourceHeader == nil {
            guard let first = frames.first else {
                throw .notMP3(receivedBytes == 0 ? "no bytes were sent" : "no MPEG audio frame in \(receivedBytes) bytes")
            }
            sourceHeader = first.header
        }
        defer { finished = true }
        return try transcode(frames, ending: true)
    }

    /// Decoded PCM in (a relay's upstream, already decoded by FFmpeg), deployment frames out:
    /// the same conversion and LAME path as MP3 input. `upstreamBytes` is what the upstream
    /// connection has delivered so far, shown as the stream's bytes received.
    public func feed(pcm: PCMBuffer, upstreamBytes: Int) throws(LiveSourceError) -> [Frame] {
        precondition(!finished, "LiveTranscoder: feed after finish")
        receivedBytes = max(receivedBytes, upstreamBytes)
        return try encode {
            try convertAndEncode(pcm)
        }
    }

    /// A PCM source ended: flushes the resampler and the encoder.
    public func finishPCM() throws(LiveSourceError) -> [Frame] {
        guard !finished else { return [] }
        defer { finished = true }
        return try encode(ending: true) { try flushEncoder() }
    }

    /// The resampler's tail, then LAME's last frames.
    private func flushEncoder() throws -> [UInt8] {
        var tail: [UInt8] = []
        if var resampler {
            let rest = resampler.flush()
            self.resampler = resampler
            if rest.frameCount > 0 { tail += try encoder.encode(rest) }
        }
        return tail + (try encoder.finish().bytes)
    }

    /// Runs an encoding step, mapping errors as `transcode` does, and splits its output.
    private func encode(ending: Bool = false, _ body: () throws -> [UInt8]) throws(LiveSourceError) -> [Frame] {
        let encoded: [UInt8]
        do {
            encoded = try body()
        } catch let error as AudioError {
            throw Self.sourceError(error)
        } catch {
            throw .encodingFailed("\(error)")
        }
        var out = output.append(encoded)
        if ending { out += output.finish() }
        return out.filter { !$0.isTagFrame }.map { Frame(bytes: $0.bytes, samples: $0.header.samplesPerFrame) }
    }

    static func sourceError(_ error: AudioError) -> LiveSourceError {
        switch error {
        case .unsupportedFormat(let m), .corrupt(let m), .empty(let m): .corrupt(m)
        case .codec(let m), .device(let m, _), .invalidSetting(let m): .encodingFailed(m)
        }
    }

    /// Refuses at once what clearly is something else (WAV, Ogg, text …): an MP3 stream starts
    /// with an ID3v2 tag or a frame header.
    private func sniff(_ bytes: [UInt8]) throws(LiveSourceError) {
        guard head.count < 10 else { return }
        head.append(contentsOf: bytes.prefix(10 - head.count))
        guard head.count >= 4 else { return }
        let looksLikeMP3 = (head[0] == 0xFF && head[1] & 0xE0 == 0xE0) || (head.count >= 3 && head.starts(with: Array("ID3".utf8)))
        if !looksLikeMP3 {
            throw .notMP3(IngestPipeline.describeStart(of: head))
        }
    }

    private func transcode(_ frames: [MP3FrameSplitter.Frame], ending: Bool) throws(LiveSourceError) -> [Frame] {
        try encode(ending: ending) {
            var encoded: [UInt8] = []
            for frame in frames {
                if let pcm = try decoder.decode(frame.bytes) { encoded += try convertAndEncode(pcm) }
            }
            if ending {
                if let pcm = try decoder.finish() { encoded += try convertAndEncode(pcm) }
                encoded += try flushEncoder()
            }
            return encoded
        }
    }

    /// Source PCM → the target's channels and rate → LAME.
    private func convertAndEncode(_ pcm: PCMBuffer) throws -> [UInt8] {
        guard pcm.frameCount > 0 else { return [] }
        decodedFrames += pcm.frameCount
        var audio = pcm
        if audio.format.channels != target.channels {
            audio = target.channels == 1 ? audio.downmixedToMono() : Self.spread(audio, to: target.channels)
        }
        if audio.format.sampleRate != target.sampleRate {
            if resampler == nil {
                resampler = try Resampler(from: audio.format.sampleRate, to: target.sampleRate, channels: target.channels)
            }
            audio = resampler!.process(audio)
            guard audio.frameCount > 0 else { return [] }
        }
        return try encoder.encode(audio)
    }

    static func spread(_ mono: PCMBuffer, to channels: Int) -> PCMBuffer {
        var out = [Float](repeating: 0, count: mono.samples.count * channels)
        for (frame, sample) in mono.samples.enumerated() {
            for channel in 0..<channels { out[frame * channels + channel] = sample }
        }
        return PCMBuffer(format: AudioFormat(sampleRate: mono.format.sampleRate, channels: channels), samples: out)
    }
}
