/// `MP3Encoder` for output that goes somewhere other than one array (a file written as it is
/// encoded): it keeps what the Info tag needs — the first four bytes, the length and the CRC of
/// everything returned — and `finish()` says how to fix the stream's start, exactly as
/// `MP3Encoder.finish(stream:)` does in memory.
///
/// Not thread-safe: one encoder belongs to one task at a time.
public final class MP3StreamEncoder: @unchecked Sendable {
    /// How the stream's first bytes must change once it is complete.
    public enum StartFix: Sendable, Equatable {
        /// Nothing to change (an empty stream, or VBR without LAME's tag).
        case none
        /// Write these bytes over the start (LAME's own tag frame, the size of the first frame).
        case overwrite([UInt8])
        /// Put this frame (an Info tag LAME could not fit) in front of the stream.
        case prepend([UInt8])
    }

    /// What `finish()` returns: the last bytes to append, then the fix for the start.
    public struct Ending: Sendable {
        public var tail: [UInt8]
        public var start: StartFix
    }

    private let encoder: MP3Encoder
    private var head: [UInt8] = []
    private var crc: UInt16 = 0
    /// Bytes returned so far (the stream's length, once finished).
    public private(set) var byteCount = 0

    public init(settings: MP3EncoderSettings) throws {
        encoder = try MP3Encoder(settings: settings)
    }

    public var settings: MP3EncoderSettings { encoder.settings }

    /// Encodes PCM in `settings.format`; returns the MP3 bytes to append to the stream.
    public func encode(_ buffer: PCMBuffer) throws -> [UInt8] {
        let bytes = try encoder.encode(buffer)
        track(bytes)
        return bytes
    }

    /// Flushes the encoder: append `tail`, then apply `start`.
    public func finish() throws -> Ending {
        let last = try encoder.finish()
        track(last.bytes)
        if !last.tagFrame.isEmpty && last.tagFrame.count <= byteCount {
            return Ending(tail: last.bytes, start: .overwrite(last.tagFrame))
        }
        if let info = encoder.infoFrame(firstHeader: head, byteCount: byteCount, crc: crc) {
            return Ending(tail: last.bytes, start: .prepend(info))
        }
        return Ending(tail: last.bytes, start: .none)
    }

    private func track(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if head.count < 4 { head += bytes.prefix(4 - head.count) }
        crc = CRC16.arc(bytes, initial: crc)
        byteCount += bytes.count
    }
}
