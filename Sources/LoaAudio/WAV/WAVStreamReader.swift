/// Reads a WAV file's samples a chunk at a time, for files too long to hold decoded: 54 minutes
/// of 16 kHz mono is 104 MB as WAV and 207 MB as Float PCM.
///
/// Accepts and refuses exactly what `WAVFile.decode` does, with the same errors, and returns
/// the same samples; only the header (and 40 bytes of the fmt chunk) is read up front.
public struct WAVStreamReader<Source: AudioByteSource> {
    public let source: Source
    public let format: AudioFormat
    public let sampleFormat: WAVSampleFormat
    /// Frames in the data chunk.
    public let frameCount: Int
    private let dataOffset: Int
    private var nextFrame = 0

    public init(_ source: Source) throws {
        let total = source.byteCount
        guard total > 0 else { throw AudioError.empty("the file is empty") }
        let start = try source.read(at: 0, upTo: 12)
        guard start.count >= 12, start.ascii(0, 4) == "RIFF", start.ascii(8, 4) == "WAVE" else {
            throw AudioError.unsupportedFormat("not a WAV file (no RIFF/WAVE header)")
        }
        var offset = 12
        var found: (sampleFormat: WAVSampleFormat, audio: AudioFormat)?
        while offset + 8 <= total {
            let header = try source.read(at: offset, upTo: 8)
            guard header.count == 8 else { break }
            let id = header.ascii(0, 4)
            let declared = Int(header.uint32LE(at: 4))
            let body = offset + 8
            switch id {
            case "fmt ":
                guard body + declared <= total, declared >= 16 else { throw AudioError.corrupt("the fmt chunk is cut short") }
                found = try WAVFile.parseFormat(try source.read(at: body, upTo: min(declared, 40)), at: 0, size: declared)
            case "data":
                guard let found else { throw AudioError.corrupt("data chunk before the fmt chunk") }
                // Streaming writers leave 0 or 0xFFFFFFFF when they could not seek back to fill the size in.
                let streaming = declared == 0 || declared == 0xFFFF_FFFF
                let available = total - body
                if !streaming && declared > available {
                    throw AudioError.corrupt("truncated: the data chunk declares \(declared) bytes but only \(available) follow")
                }
                let size = streaming ? available : declared
                let frames = size / (found.sampleFormat.bytesPerSample * found.audio.channels)
                guard frames > 0 else { throw AudioError.empty("the data chunk holds no samples") }
                self.source = source
                self.format = found.audio
                self.sampleFormat = found.sampleFormat
                self.frameCount = frames
                self.dataOffset = body
                return
            default:
                break
            }
            offset = body + declared + (declared & 1) // chunks are padded to even sizes
        }
        throw found == nil ? AudioError.corrupt("no fmt chunk") : AudioError.corrupt("truncated: no data chunk")
    }

    public var duration: Double { Double(frameCount) / Double(format.sampleRate) }

    /// The next `maxFrames` frames or fewer; nil once every frame has been read.
    public mutating func next(maxFrames: Int = 16_384) throws -> PCMBuffer? {
        let frames = min(max(1, maxFrames), frameCount - nextFrame)
        guard frames > 0 else { return nil }
        let frameBytes = sampleFormat.bytesPerSample * format.channels
        let bytes = try source.read(at: dataOffset + nextFrame * frameBytes, upTo: frames * frameBytes)
        guard bytes.count == frames * frameBytes else {
            throw AudioError.corrupt("the file ended at frame \(nextFrame + bytes.count / frameBytes) of \(frameCount)")
        }
        nextFrame += frames
        return PCMBuffer(format: format, samples: WAVFile.decodeSamples(bytes, at: 0, count: frames * format.channels, as: sampleFormat))
    }
}
