/// The LAME extension of a Xing/Info tag (36 bytes): who encoded the stream and, above all,
/// the encoder delay and padding that gapless decoders trim (mpg123 and ffmpeg read it).
public struct LAMETag: Sendable, Hashable {
    /// Encoder name and version as written, e.g. "LAME3.100" or "Lavc60.31" (ffmpeg).
    public var encoder: String
    /// Tag revision (high nibble) and VBR method (low nibble: 1 CBR, 2 ABR, 3–6 VBR).
    public var revision: Int
    public var vbrMethod: Int
    /// Low-pass filter frequency in Hz (0 = unknown).
    public var lowpass: Int
    /// PCM samples the encoder added at the start (12 bits).
    public var encoderDelay: Int
    /// PCM samples the encoder added at the end to fill the last frame (12 bits).
    public var encoderPadding: Int
    /// Length in bytes of the stream as the encoder saw it (from the tag frame on).
    public var musicLength: Int
    /// Whether the tag's own CRC-16 matches the bytes before it (LAME) or the frame's first 190
    /// bytes (ffmpeg, whatever the tag's position; for a tag frame shorter than 190 bytes, as at
    /// 24 kHz mono, ffmpeg's CRC covers bytes beyond the frame and cannot match); false also for
    /// a damaged or hand-made tag. Delay and padding are reported either way.
    public var crcMatches: Bool

    static let length = 36

    /// Reads the extension at `offset` of the frame, or nil if there is none.
    static func parse(frame: UnsafeRawBufferPointer, at offset: Int) -> LAMETag? {
        guard offset + length <= frame.count else { return nil }
        let nameBytes = frame[offset..<(offset + 9)]
        // A real extension starts with a printable name ("LAME", "Lavc", "Lavf", "GOGO", …).
        guard nameBytes.prefix(4).allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var printable = Array(nameBytes.prefix { $0 >= 0x20 && $0 < 0x7F })
        while printable.last == 0x20 { printable.removeLast() }
        let encoder = String(decoding: printable, as: UTF8.self)
        let d0 = Int(frame[offset + 21]), d1 = Int(frame[offset + 22]), d2 = Int(frame[offset + 23])
        let storedCRC = UInt16(frame[offset + 34]) << 8 | UInt16(frame[offset + 35])
        return LAMETag(encoder: encoder,
                       revision: Int(frame[offset + 9] >> 4), vbrMethod: Int(frame[offset + 9] & 0x0F),
                       lowpass: Int(frame[offset + 10]) * 100,
                       encoderDelay: d0 << 4 | d1 >> 4, encoderPadding: (d1 & 0x0F) << 8 | d2,
                       musicLength: Int(MP3Tags.bigEndian32(frame, at: offset + 28)),
                       crcMatches: CRC16.arc(frame[0..<(offset + 34)]) == storedCRC
                           || (frame.count >= 190 && CRC16.arc(frame[0..<190]) == storedCRC))
    }
}
