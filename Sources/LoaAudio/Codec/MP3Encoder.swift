import CLAME

/// Streaming MP3 encoder over libmp3lame.
///
/// Feed PCM with `encode(_:)`, end with `finish()`. LAME reserves the stream's first frame
/// for its Xing/LAME tag (which tells decoders the encoder delay and padding, so they return
/// the exact sample count); `finish()` returns that frame in `EncodedTail.tagFrame`, to be
/// written over the first bytes of the output. `encodeAll(_:settings:)` does all of that in memory.
///
/// Not thread-safe: one encoder belongs to one task at a time.
public final class MP3Encoder: @unchecked Sendable {
    public let settings: MP3EncoderSettings
    private let handle: OpaquePointer
    private var scratch: [UInt8] = []
    private var finished = false

    /// What `finish()` returns: the last bytes of the stream and the tag frame for its start.
    public struct EncodedTail: Sendable {
        public var bytes: [UInt8]
        public var tagFrame: [UInt8]
    }

    /// Creates an encoder for PCM in `settings.format`.
    public init(settings: MP3EncoderSettings) throws {
        try settings.validate()
        guard let handle = lame_init() else { throw AudioError.codec("LAME could not allocate an encoder") }
        self.handle = handle
        self.settings = settings
        lame_set_in_samplerate(handle, Int32(settings.sampleRate))
        lame_set_out_samplerate(handle, Int32(settings.sampleRate))
        lame_set_num_channels(handle, Int32(settings.channels))
        lame_set_mode(handle, settings.channels == 1 ? MONO : JOINT_STEREO)
        lame_set_quality(handle, Int32(settings.quality))
        lame_set_bWriteVbrTag(handle, 1)
        lame_set_write_id3tag_automatic(handle, 0)
        switch settings.bitrate {
        case .constant(let kbps):
            lame_set_VBR(handle, vbr_off)
            lame_set_brate(handle, Int32(kbps))
        case .variable(let quality):
            lame_set_VBR(handle, vbr_default)
            lame_set_VBR_quality(handle, Float(quality))
        }
        let status = lame_init_params(handle)
        guard status >= 0 else {
            lame_close(handle)
            throw AudioError.codec("LAME refused the settings \(settings) (error \(status))")
        }
    }

    deinit { lame_close(handle) }

    /// Encodes PCM in `settings.format`; returns the MP3 bytes LAME has ready (possibly none).
    public func encode(_ buffer: PCMBuffer) throws -> [UInt8] {
        guard !finished else { throw AudioError.codec("encode after finish") }
        guard buffer.format == settings.format else {
            throw AudioError.invalidSetting("the encoder takes \(settings.format), got \(buffer.format)")
        }
        var output = [UInt8]()
        // Chunks bound the scratch buffer LAME writes into (it needs 1.25 × samples + 7200 bytes).
        let chunkFrames = 65_536
        var start = 0
        while start < buffer.frameCount {
            let frames = min(chunkFrames, buffer.frameCount - start)
            try encodeChunk(buffer.samples, fromFrame: start, frames: frames, into: &output)
            start += frames
        }
        return output
    }

    private func encodeChunk(_ samples: [Float], fromFrame start: Int, frames: Int, into output: inout [UInt8]) throws {
        let capacity = frames + frames / 4 + 7200
        if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: capacity) }
        let channels = settings.channels
        let written: Int32 = samples.withUnsafeBufferPointer { pcm in
            scratch.withUnsafeMutableBufferPointer { mp3 in
                let base = pcm.baseAddress! + start * channels
                if channels == 1 {
                    return lame_encode_buffer_ieee_float(handle, base, base, Int32(frames), mp3.baseAddress, Int32(capacity))
                }
                return lame_encode_buffer_interleaved_ieee_float(handle, base, Int32(frames), mp3.baseAddress, Int32(capacity))
            }
        }
        guard written >= 0 else { throw AudioError.codec("LAME failed to encode (error \(written))") }
        output.append(contentsOf: scratch[0..<Int(written)])
    }

    /// Flushes the last frames and returns them with the LAME tag frame for the stream's start.
    public func finish() throws -> EncodedTail {
        guard !finished else { throw AudioError.codec("finish called twice") }
        finished = true
        var tail = [UInt8](repeating: 0, count: 7200)
        let flushed = lame_encode_flush(handle, &tail, Int32(tail.count))
        guard flushed >= 0 else { throw AudioError.codec("LAME failed to flush (error \(flushed))") }
        var tag = [UInt8](repeating: 0, count: 2880)
        let tagSize = lame_get_lametag_frame(handle, &tag, tag.count)
        lameWroteTag = tagSize > 0
        return EncodedTail(bytes: Array(tail[0..<Int(flushed)]), tagFrame: Array(tag[0..<min(tagSize, tag.count)]))
    }

    /// True once `finish()` found that LAME reserved the stream's first frame for its own tag;
    /// false when the tag did not fit at this bitrate and `infoFrame(for:)` must go in front.
    public private(set) var lameWroteTag = false

    /// The Info/LAME tag frame to put in front of `stream` (the complete output of this encoder)
    /// when LAME could not write its own; nil when it did or when the stream is empty.
    public func infoFrame(for stream: [UInt8]) -> [UInt8]? {
        guard stream.count >= 4 else { return nil }
        return infoFrame(firstHeader: Array(stream[0..<4]), byteCount: stream.count, crc: CRC16.arc(stream))
    }

    /// The same, from what a caller that wrote the stream elsewhere kept of it: its first four
    /// bytes, its length and its CRC-16/ARC (see `MP3StreamEncoder`).
    func infoFrame(firstHeader: [UInt8], byteCount: Int, crc: UInt16) -> [UInt8]? {
        guard finished, !lameWroteTag, firstHeader.count == 4, case .constant(let kbps) = settings.bitrate else { return nil }
        let frame = InfoTagFrame(
            audioHeader: firstHeader,
            audioFrames: Int(lame_get_frameNum(handle)),
            audioBytes: byteCount,
            audioCRC: crc,
            encoderDelay: Int(lame_get_encoder_delay(handle)),
            encoderPadding: Int(lame_get_encoder_padding(handle)),
            bitrateKbps: kbps,
            quality: max(0, 100 - 10 * Int(lame_get_VBR_q(handle)) - settings.quality))
        return frame.bytes()
    }

    /// Ends `stream` (everything this encoder has returned so far): appends the last frames and
    /// puts the Info/LAME tag in place, LAME's own or ours when LAME's did not fit.
    public func finish(stream: inout [UInt8]) throws {
        let tail = try finish()
        stream.append(contentsOf: tail.bytes)
        if !tail.tagFrame.isEmpty && tail.tagFrame.count <= stream.count {
            stream.replaceSubrange(0..<tail.tagFrame.count, with: tail.tagFrame)
        } else if let info = infoFrame(for: stream) {
            stream.insert(contentsOf: info, at: 0)
        }
    }

    /// Encodes a whole buffer in memory, the LAME tag in place.
    public static func encodeAll(_ buffer: PCMBuffer, settings: MP3EncoderSettings) throws -> [UInt8] {
        let encoder = try MP3Encoder(settings: settings)
        var bytes = try encoder.encode(buffer)
        try encoder.finish(stream: &bytes)
        return bytes
    }
}
