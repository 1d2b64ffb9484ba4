extension WAVFile {
    /// Decodes RIFF/WAVE bytes: PCM 8/16/24/32-bit or float32, any rate, 1–8 channels,
    /// plain or WAVE_FORMAT_EXTENSIBLE. Unknown chunks (LIST, fact, …) are skipped.
    public static func decode(_ bytes: [UInt8]) throws -> WAVFile {
        guard !bytes.isEmpty else { throw AudioError.empty("the file is empty") }
        guard bytes.count >= 12, bytes.ascii(0, 4) == "RIFF", bytes.ascii(8, 4) == "WAVE" else {
            throw AudioError.unsupportedFormat("not a WAV file (no RIFF/WAVE header)")
        }
        var offset = 12
        var format: (sampleFormat: WAVSampleFormat, audio: AudioFormat)?
        while offset + 8 <= bytes.count {
            let id = bytes.ascii(offset, 4)
            let declared = Int(bytes.uint32LE(at: offset + 4))
            let body = offset + 8
            switch id {
            case "fmt ":
                guard body + declared <= bytes.count, declared >= 16 else {
                    throw AudioError.corrupt("the fmt chunk is cut short")
                }
                format = try parseFormat(bytes, at: body, size: declared)
            case "data":
                guard let format else { throw AudioError.corrupt("data chunk before the fmt chunk") }
                // Streaming writers leave 0 or 0xFFFFFFFF when they could not seek back to fill the size in.
                let streaming = declared == 0 || declared == 0xFFFF_FFFF
                let available = bytes.count - body
                if !streaming && declared > available {
                    throw AudioError.corrupt("truncated: the data chunk declares \(declared) bytes but only \(available) follow")
                }
                let size = streaming ? available : declared
                let frameBytes = format.sampleFormat.bytesPerSample * format.audio.channels
                let frames = size / frameBytes
                guard frames > 0 else { throw AudioError.empty("the data chunk holds no samples") }
                let samples = decodeSamples(bytes, at: body, count: frames * format.audio.channels,
                                            as: format.sampleFormat)
                return WAVFile(audio: PCMBuffer(format: format.audio, samples: samples),
                               sampleFormat: format.sampleFormat)
            default:
                break
            }
            offset = body + declared + (declared & 1) // chunks are padded to even sizes
        }
        throw format == nil ? AudioError.corrupt("no fmt chunk") : AudioError.corrupt("truncated: no data chunk")
    }

    static func parseFormat(_ bytes: [UInt8], at p: Int, size: Int) throws -> (WAVSampleFormat, AudioFormat) {
        var tag = bytes.uint16LE(at: p)
        let channels = Int(bytes.uint16LE(at: p + 2))
        let rate = Int(bytes.uint32LE(at: p + 4))
        let bits = Int(bytes.uint16LE(at: p + 14))
        if tag == 0xFFFE { // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the sub-format GUID
            guard size >= 40 else { throw AudioError.corrupt("the extensible fmt chunk is cut short") }
            tag = bytes.uint16LE(at: p + 24)
        }
        guard (1...8).contains(channels) else {
            throw AudioError.unsupportedFormat("\(channels) channels (1 to 8 are supported)")
        }
        guard (4000...384_000).contains(rate) else {
            throw AudioError.unsupportedFormat("a sample rate of \(rate) Hz (4000 to 384000 are supported)")
        }
        let sampleFormat: WAVSampleFormat
        switch (tag, bits) {
        case (1, 8): sampleFormat = .pcm8
        case (1, 16): sampleFormat = .pcm16
        case (1, 24): sampleFormat = .pcm24
        case (1, 32): sampleFormat = .pcm32
        case (3, 32): sampleFormat = .float32
        case (1, _), (3, _): throw AudioError.unsupportedFormat("\(bits)-bit samples")
        default: throw AudioError.unsupportedFormat("WAV encoding \(tag) (only PCM and IEEE float are read; compressed WAV is not)")
        }
        return (sampleFormat, AudioFormat(sampleRate: rate, channels: channels))
    }

    static func decodeSamples(_ bytes: [UInt8], at start: Int, count: Int, as format: WAVSampleFormat) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress!.advanced(by: start)
                switch format {
                case .pcm8:
                    for i in 0..<count { out[i] = (Float(base.load(fromByteOffset: i, as: UInt8.self)) - 128) / 128 }
                case .pcm16:
                    for i in 0..<count {
                        out[i] = Float(Int16(littleEndian: base.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))) / 32768
                    }
                case .pcm24:
                    for i in 0..<count {
                        let b = base.advanced(by: i * 3).assumingMemoryBound(to: UInt8.self)
                        let v = Int32(bitPattern: UInt32(b[0]) << 8 | UInt32(b[1]) << 16 | UInt32(b[2]) << 24) >> 8
                        out[i] = Float(v) / 8_388_608
                    }
                case .pcm32:
                    for i in 0..<count {
                        out[i] = Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) / 2_147_483_648
                    }
                case .float32:
                    for i in 0..<count {
                        out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    }
                }
            }
            initialized = count
        }
    }
}

extension Array where Element == UInt8 {
    func ascii(_ offset: Int, _ count: Int) -> String {
        guard offset + count <= self.count else { return "" }
        return String(decoding: self[offset..<offset + count], as: UTF8.self)
    }

    func uint16LE(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func uint32LE(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}
