/// The Xing ("Xing", VBR) or Info ("Info", CBR) tag in the first frame of a LAME-style MP3.
///
/// The frame that carries it decodes to silence and is not part of the audio. It sits right
/// after the side information; every field is optional and announced by a flag.
public struct XingTag: Sendable, Hashable {
    /// "Info": LAME writes this for CBR; "Xing" for VBR/ABR.
    public var isInfo: Bool
    /// Audio frames, not counting this one.
    public var frames: Int?
    /// Bytes of the stream as the encoder counted them (usually including this frame).
    public var bytes: Int?
    /// 100-entry seek table: byte position (÷256 of `bytes`) at each percent of duration.
    public var toc: [UInt8]?
    /// Encoder quality indicator (0 best … 100).
    public var quality: Int?
    /// The LAME extension that follows, when present.
    public var lame: LAMETag?

    /// Reads the tag from a whole frame (`frame` starts at the header), or nil if it has none.
    public static func parse(frame: UnsafeRawBufferPointer, header: MP3FrameHeader) -> XingTag? {
        var at = 4 + (header.hasCRC ? 2 : 0) + header.sideInfoLength
        let isInfo: Bool
        if MP3Tags.matches(frame, at: at, "Info") { isInfo = true }
        else if MP3Tags.matches(frame, at: at, "Xing") { isInfo = false }
        else { return nil }
        guard at + 8 <= frame.count else { return nil }
        let flags = MP3Tags.bigEndian32(frame, at: at + 4)
        at += 8
        var tag = XingTag(isInfo: isInfo)
        if flags & 0x1 != 0 {
            guard at + 4 <= frame.count else { return tag }
            tag.frames = Int(MP3Tags.bigEndian32(frame, at: at)); at += 4
        }
        if flags & 0x2 != 0 {
            guard at + 4 <= frame.count else { return tag }
            tag.bytes = Int(MP3Tags.bigEndian32(frame, at: at)); at += 4
        }
        if flags & 0x4 != 0 {
            guard at + 100 <= frame.count else { return tag }
            tag.toc = Array(frame[at..<(at + 100)]); at += 100
        }
        if flags & 0x8 != 0 {
            guard at + 4 <= frame.count else { return tag }
            tag.quality = Int(MP3Tags.bigEndian32(frame, at: at)); at += 4
        }
        tag.lame = LAMETag.parse(frame: frame, at: at)
        return tag
    }

    init(isInfo: Bool) { self.isInfo = isInfo }
}
