/// Metadata tags around MP3 audio that the frame parser steps over: ID3v2 at the front,
/// ID3v1 and APEv2 at the end. Only their extent is read, never their content.
public enum MP3Tags {
    /// Total length of an ID3v2 tag starting at `offset` (header, body and optional footer), or
    /// nil when none starts there. Needs 10 bytes.
    public static func id3v2Length(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard offset + 10 <= bytes.count,
              bytes[offset] == 0x49, bytes[offset + 1] == 0x44, bytes[offset + 2] == 0x33,   // "ID3"
              bytes[offset + 3] != 0xFF, bytes[offset + 4] != 0xFF else { return nil }
        var size = 0
        for i in 6..<10 {
            let b = bytes[offset + i]
            guard b & 0x80 == 0 else { return nil }   // syncsafe: 7 bits per byte
            size = size << 7 | Int(b)
        }
        let hasFooter = bytes[offset + 5] & 0x10 != 0
        return 10 + size + (hasFooter ? 10 : 0)
    }

    /// Where the audio ends once trailing ID3v1 ("TAG", 128 bytes) and APEv2 tags (in either
    /// order) are taken off `start..<end`.
    public static func audioEnd(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> Int {
        var end = end
        while true {
            if end - 128 >= start, bytes[end - 128] == 0x54, bytes[end - 127] == 0x41, bytes[end - 126] == 0x47 {
                end -= 128
                continue
            }
            if end - 32 >= start, matches(bytes, at: end - 32, "APETAGEX") {
                let size = Int(littleEndian32(bytes, at: end - 20))
                let flags = littleEndian32(bytes, at: end - 12)
                let total = size + (flags & 0x8000_0000 != 0 ? 32 : 0)
                if total >= 32, end - total >= start { end -= total; continue }
            }
            return end
        }
    }

    static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ ascii: String) -> Bool {
        let expected = Array(ascii.utf8)
        guard offset >= 0, offset + expected.count <= bytes.count else { return false }
        for (i, b) in expected.enumerated() where bytes[offset + i] != b { return false }
        return true
    }

    static func littleEndian32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    static func bigEndian32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
