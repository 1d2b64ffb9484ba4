import CMPG123

/// Streaming MP3 decoder over libmpg123's feed API: bytes in, PCM out.
///
/// Gapless: with a LAME/Xing tag at the start, mpg123 trims the encoder delay and padding
/// itself, so the output holds exactly the samples that were encoded. Output is float32.
///
/// Not thread-safe: one decoder belongs to one task at a time.
public final class MP3Decoder: @unchecked Sendable {
    private let handle: OpaquePointer
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)
    /// The stream's format, known once the first frame has been decoded.
    public private(set) var format: AudioFormat?

    public init() throws {
        _ = MP3Decoder.libraryReady
        var error: Int32 = 0
        guard let handle = mpg123_new(nil, &error) else {
            throw AudioError.codec("mpg123 could not allocate a decoder (error \(error))")
        }
        self.handle = handle
        let flags = Int(MPG123_QUIET.rawValue | MPG123_GAPLESS.rawValue)
        mpg123_param2(handle, Int32(MPG123_ADD_FLAGS.rawValue), flags, 0)
        // Accept every rate and channel count, always as float32.
        mpg123_format_none(handle)
        var rates: UnsafePointer<Int>?
        var count = 0
        mpg123_rates(&rates, &count)
        let channels = Int32(MPG123_MONO.rawValue | MPG123_STEREO.rawValue)
        for i in 0..<count {
            mpg123_format(handle, rates![i], channels, Int32(MPG123_ENC_FLOAT_32.rawValue))
        }
        guard mpg123_open_feed(handle) == MPG123_OK.rawValue else {
            mpg123_delete(handle)
            throw AudioError.codec("mpg123 could not open a feed")
        }
    }

    deinit {
        mpg123_close(handle)
        mpg123_delete(handle)
    }

    // mpg123_init is a no-op in current versions but required by older ones; once per process.
    private static let libraryReady: Bool = { mpg123_init(); return true }()

    /// Feeds MP3 bytes; returns the PCM decoded so far (possibly empty; nil before the format is known).
    public func decode(_ bytes: [UInt8]) throws -> PCMBuffer? {
        if !bytes.isEmpty {
            let status = bytes.withUnsafeBufferPointer { mpg123_feed(handle, $0.baseAddress, $0.count) }
            guard status == MPG123_OK.rawValue else { throw AudioError.codec("mpg123 refused input: \(lastError)") }
        }
        return try drain()
    }

    /// Everything still buffered once the input has ended.
    public func finish() throws -> PCMBuffer? {
        try drain()
    }

    private func drain() throws -> PCMBuffer? {
        var samples = [Float]()
        loop: while true {
            var done = 0
            let status = scratch.withUnsafeMutableBytes { mpg123_read(handle, $0.baseAddress, $0.count, &done) }
            if done > 0 {
                scratch.withUnsafeBytes { raw in
                    samples.append(contentsOf: raw.bindMemory(to: Float.self).prefix(done / 4))
                }
            }
            switch status {
            case MPG123_OK.rawValue:
                continue
            case MPG123_NEW_FORMAT.rawValue:
                try takeFormat()
            case MPG123_NEED_MORE.rawValue, MPG123_DONE.rawValue:
                break loop
            default:
                throw AudioError.corrupt("mpg123 could not decode the stream: \(lastError)")
            }
        }
        guard let format else { return nil }
        return PCMBuffer(format: format, samples: samples)
    }

    private func takeFormat() throws {
        var rate = 0
        var channels: Int32 = 0
        var encoding: Int32 = 0
        mpg123_getformat(handle, &rate, &channels, &encoding)
        let new = AudioFormat(sampleRate: rate, channels: Int(channels))
        if let format, format != new {
            throw AudioError.unsupportedFormat("the stream changes from \(format) to \(new) part-way")
        }
        format = new
    }

    private var lastError: String {
        String(cString: mpg123_strerror(handle))
    }

    /// Decodes a whole MP3 file held in memory.
    public static func decodeAll(_ bytes: [UInt8]) throws -> PCMBuffer {
        let decoder = try MP3Decoder()
        var result = try decoder.decode(bytes)
        if let rest = try decoder.finish(), let current = result {
            var joined = current
            joined.append(rest)
            result = joined
        }
        guard let result, result.frameCount > 0 else {
            throw AudioError.unsupportedFormat("no MPEG audio frames found")
        }
        return result
    }
}
