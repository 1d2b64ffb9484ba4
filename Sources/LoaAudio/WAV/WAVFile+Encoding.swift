extension WAVFile {
    /// The file as RIFF/WAVE bytes in `sampleFormat` (a plain fmt chunk; extensible is not needed up to 2 channels).
    public func encoded() -> [UInt8] {
        let format = audio.format
        let bytesPerSample = sampleFormat.bytesPerSample
        let dataSize = audio.samples.count * bytesPerSample
        var out = [UInt8]()
        out.reserveCapacity(44 + dataSize + 1)
        out.appendASCII("RIFF")
        out.appendLE(UInt32(36 + dataSize + (dataSize & 1)))
        out.appendASCII("WAVE")
        out.appendASCII("fmt ")
        out.appendLE(UInt32(16))
        out.appendLE(sampleFormat.formatTag)
        out.appendLE(UInt16(format.channels))
        out.appendLE(UInt32(format.sampleRate))
        out.appendLE(UInt32(format.sampleRate * format.channels * bytesPerSample))
        out.appendLE(UInt16(format.channels * bytesPerSample))
        out.appendLE(UInt16(bytesPerSample * 8))
        out.appendASCII("data")
        out.appendLE(UInt32(dataSize))
        appendSamples(to: &out)
        if dataSize & 1 == 1 { out.append(0) }
        return out
    }

    private func appendSamples(to out: inout [UInt8]) {
        for sample in audio.samples {
            switch sampleFormat {
            case .pcm8:
                out.append(UInt8(clamping: Int((sample * 128).rounded()) + 128))
            case .pcm16:
                out.appendLE(UInt16(bitPattern: PCMBuffer.int16(from: sample)))
            case .pcm24:
                let v = Int32(max(-8_388_608, min(8_388_607, (Double(sample) * 8_388_608).rounded())))
                out.append(UInt8(truncatingIfNeeded: v))
                out.append(UInt8(truncatingIfNeeded: v >> 8))
                out.append(UInt8(truncatingIfNeeded: v >> 16))
            case .pcm32:
                let v = Int32(max(-2_147_483_648, min(2_147_483_647, (Double(sample) * 2_147_483_648).rounded())))
                out.appendLE(UInt32(bitPattern: v))
            case .float32:
                out.appendLE(sample.bitPattern)
            }
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendASCII(_ text: String) { append(contentsOf: Array(text.utf8)) }

    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
