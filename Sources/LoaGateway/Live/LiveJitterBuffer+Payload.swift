import LoaAudio
import LoaProtocol

extension LiveJitterBuffer.Payload {
    /// The payload of a `liveAudio`, its length counted from its MP3 frame headers (no decoding).
    /// Nil when it does not start with an MP3 frame or holds none: such bytes cannot be placed.
    public init?(_ audio: LiveAudio) {
        guard let frames = Self.pcmFrames(in: audio.mp3), frames > 0 else { return nil }
        self.init(sequence: audio.sequence, presentationTime: audio.presentationTime, frames: frames, mp3: audio.mp3)
    }

    /// PCM frames the whole MP3 frames in `bytes` decode to; nil if `bytes` does not start with a
    /// frame header. Counting stops at the first byte that is not a frame header.
    static func pcmFrames(in bytes: [UInt8]) -> Int? {
        var offset = 0
        var frames = 0
        while offset + 4 <= bytes.count,
              let header = MP3FrameHeader(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]),
              header.frameLength > 0 {
            frames += header.samplesPerFrame
            offset += header.frameLength
        }
        return offset == 0 ? nil : frames
    }
}
