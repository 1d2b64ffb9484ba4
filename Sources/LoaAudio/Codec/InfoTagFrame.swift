/// Builds the Xing "Info" frame with a LAME extension for a CBR stream, the way LAME does.
///
/// Why: LAME writes its own tag only when it fits in one frame at the stream's bitrate, which it
/// does not at speech settings (24 kHz mono 48 kbit/s: a 144-byte frame, the tag needs 169).
/// Without the tag, decoders cannot trim the encoder delay and padding and return ~1.5 frames
/// too many. This frame carries the same fields at the smallest bitrate that holds them; decoders
/// read it and skip it (it decodes to no audio). Layout: docs/ARCHITECTURE.md → "MP3 Info tag".
struct InfoTagFrame {
    /// The first frame header of the audio stream (4 bytes), whose version, rate and mode we copy.
    var audioHeader: [UInt8]
    /// Number of audio frames that follow this one.
    var audioFrames: Int
    /// Length in bytes of the audio frames that follow.
    var audioBytes: Int
    /// CRC-16 of the audio bytes (LAME's "music CRC").
    var audioCRC: UInt16
    var encoderDelay: Int
    var encoderPadding: Int
    var bitrateKbps: Int
    var quality: Int

    /// MPEG version index from the header: 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5.
    private var versionBits: UInt8 { (audioHeader[1] >> 3) & 0x3 }
    private var isMono: Bool { audioHeader[3] >> 6 == 3 }
    private var sideInfoLength: Int {
        versionBits == 3 ? (isMono ? 17 : 32) : (isMono ? 9 : 17)
    }
    private var sampleRate: Int {
        let base = [44_100, 48_000, 32_000][Int((audioHeader[2] >> 2) & 0x3)]
        switch versionBits {
        case 3: return base
        case 2: return base / 2
        default: return base / 4
        }
    }
    private var bitrateTable: [Int] {
        versionBits == 3
            ? [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
            : [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    }
    private func frameLength(kbps: Int) -> Int {
        (versionBits == 3 ? 144 : 72) * kbps * 1000 / sampleRate
    }

    /// The tag frame's bytes, or nil when no bitrate makes a frame big enough.
    func bytes() -> [UInt8]? {
        let xingOffset = 4 + sideInfoLength
        let needed = xingOffset + 120 + 36
        guard let index = bitrateTable.indices.dropFirst().first(where: { frameLength(kbps: bitrateTable[$0]) >= needed })
        else { return nil }
        let length = frameLength(kbps: bitrateTable[index])
        var frame = [UInt8](repeating: 0, count: length)
        frame[0] = 0xFF
        frame[1] = audioHeader[1] | 0x01                          // no CRC protection
        frame[2] = UInt8(index) << 4 | (audioHeader[2] & 0x0C)    // bitrate, same rate, no padding
        frame[3] = audioHeader[3] & 0xC0 | 0x04                   // same channel mode, "original"
        var p = xingOffset
        frame.put(Array("Info".utf8), at: &p)
        frame.putBE(UInt32(0x0F), at: &p)                         // frames, bytes, TOC, quality present
        frame.putBE(UInt32(audioFrames), at: &p)
        frame.putBE(UInt32(audioBytes + length), at: &p)
        for i in 0..<100 { frame[p + i] = UInt8(i * 256 / 100) }  // CBR: a linear table of contents
        p += 100
        frame.putBE(UInt32(quality), at: &p)
        frame.put(Array("LAME3.100".utf8), at: &p)
        frame[p] = 0x01; p += 1                                   // tag revision 0, method CBR
        p += 1 + 4 + 2 + 2                                        // lowpass, peak, replay gains: unknown
        p += 1                                                    // encoding flags, ATH type
        frame[p] = UInt8(min(bitrateKbps, 255)); p += 1
        frame[p] = UInt8(encoderDelay >> 4 & 0xFF)
        frame[p + 1] = UInt8((encoderDelay & 0xF) << 4 | (encoderPadding >> 8 & 0xF))
        frame[p + 2] = UInt8(encoderPadding & 0xFF)
        p += 3
        p += 1 + 1 + 2                                            // misc, MP3 gain, preset
        frame.putBE(UInt32(audioBytes + length), at: &p)          // music length
        frame.putBE(audioCRC, at: &p)
        frame.putBE(CRC16.arc(frame[0..<p]), at: &p)              // CRC of the tag frame so far
        return frame
    }
}

private extension Array where Element == UInt8 {
    mutating func put(_ bytes: [UInt8], at p: inout Int) {
        replaceSubrange(p..<p + bytes.count, with: bytes)
        p += bytes.count
    }

    mutating func putBE<T: FixedWidthInteger>(_ value: T, at p: inout Int) {
        for shift in stride(from: T.bitWidth - 8, through: 0, by: -8) {
            self[p] = UInt8(truncatingIfNeeded: value >> shift)
            p += 1
        }
    }
}
