/// Decodes a WAV or MP3 file a chunk at a time: `AudioFile.decode` for files too long to hold
/// as PCM. The chunks, concatenated, are the samples `AudioFile.decode` returns.
///
/// For MP3, scan first with `AudioFile.scanMP3(_:)` as `AudioFile.decode` does: this type only
/// decodes. Not thread-safe: one decoder belongs to one task at a time.
public struct AudioStreamDecoder<Source: AudioByteSource> {
    public let kind: AudioFile.Kind
    private var wav: WAVStreamReader<Source>?
    private let source: Source
    private let mp3: MP3Decoder?
    private var offset = 0
    private var ended = false
    private var decodedFrames = 0
    private let chunkFrames: Int

    /// Reads the start of the file (the whole header for WAV); `chunkFrames` bounds each WAV
    /// chunk, and MP3 is fed to the decoder 64 KiB at a time.
    public init(_ source: Source, chunkFrames: Int = 16_384) throws {
        guard source.byteCount > 0 else { throw AudioError.empty("the file is empty") }
        self.source = source
        self.chunkFrames = chunkFrames
        switch AudioFile.sniff(try source.read(at: 0, upTo: 16)) {
        case .wav:
            kind = .wav
            wav = try WAVStreamReader(source)
            mp3 = nil
        case .mp3:
            kind = .mp3
            mp3 = try MP3Decoder()
        case nil:
            throw AudioError.unsupportedFormat("neither WAV nor MP3")
        }
    }

    /// The format, when known before decoding (WAV).
    public var declaredFormat: AudioFormat? { wav?.format }
    /// The length in seconds, when known before decoding (WAV).
    public var declaredDuration: Double? { wav?.duration }

    /// The next chunk of PCM; nil at the end of the audio.
    public mutating func next() throws -> PCMBuffer? {
        if wav != nil { return try wav!.next(maxFrames: chunkFrames) }
        guard let mp3 else { return nil }
        while !ended {
            let bytes = try source.read(at: offset, upTo: 1 << 16)
            offset += bytes.count
            let pcm: PCMBuffer?
            if bytes.isEmpty {
                ended = true
                pcm = try mp3.finish()
                if decodedFrames + (pcm?.frameCount ?? 0) == 0 {
                    throw AudioError.unsupportedFormat("no MPEG audio frames found")
                }
            } else {
                pcm = try mp3.decode(bytes)
            }
            if let pcm, pcm.frameCount > 0 {
                decodedFrames += pcm.frameCount
                return pcm
            }
        }
        return nil
    }
}

extension AudioFile {
    /// `scanMP3(_:)` over a file read a slice at a time.
    public static func scanMP3(_ source: some AudioByteSource) throws -> MP3StreamInfo {
        do {
            return try MP3StreamScanner.scan(source)
        } catch let error as MP3ParseError {
            throw AudioError(error)
        }
    }
}
