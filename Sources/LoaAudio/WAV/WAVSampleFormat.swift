/// How samples are stored in a WAV file's data chunk.
public enum WAVSampleFormat: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case pcm8 = "pcm8"      // unsigned 8-bit
    case pcm16 = "pcm16"    // signed 16-bit little-endian
    case pcm24 = "pcm24"    // signed 24-bit little-endian, packed
    case pcm32 = "pcm32"    // signed 32-bit little-endian
    case float32 = "float32" // IEEE 754 single precision

    public var bytesPerSample: Int {
        switch self {
        case .pcm8: return 1
        case .pcm16: return 2
        case .pcm24: return 3
        case .pcm32, .float32: return 4
        }
    }

    /// The `wFormatTag` that a plain (non-extensible) fmt chunk carries.
    var formatTag: UInt16 { self == .float32 ? 3 : 1 }

    public var description: String {
        switch self {
        case .pcm8: return "8-bit PCM"
        case .pcm16: return "16-bit PCM"
        case .pcm24: return "24-bit PCM"
        case .pcm32: return "32-bit PCM"
        case .float32: return "32-bit float"
        }
    }
}
