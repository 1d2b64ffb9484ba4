/// The Fraunhofer VBRI header: like Xing, in the first frame (always 32 bytes after the
/// header), which then carries no audio. Only the totals are read; the seek table is skipped.
public struct VBRIHeader: Sendable, Hashable {
    public var version: Int
    /// Encoder delay as Fraunhofer records it (not trimmed by every decoder).
    public var delay: Int
    public var quality: Int
    public var bytes: Int
    /// Audio frames, not counting the VBRI frame.
    public var frames: Int

    public static func parse(frame: UnsafeRawBufferPointer) -> VBRIHeader? {
        let at = 36
        guard at + 18 <= frame.count, MP3Tags.matches(frame, at: at, "VBRI") else { return nil }
        func be16(_ o: Int) -> Int { Int(frame[at + o]) << 8 | Int(frame[at + o + 1]) }
        return VBRIHeader(version: be16(4), delay: be16(6), quality: be16(8),
                          bytes: Int(MP3Tags.bigEndian32(frame, at: at + 10)),
                          frames: Int(MP3Tags.bigEndian32(frame, at: at + 14)))
    }
}
