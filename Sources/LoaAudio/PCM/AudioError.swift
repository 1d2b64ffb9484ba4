/// What went wrong in the audio core, phrased so a person can act on it.
public enum AudioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a format we read (not RIFF, not MP3, …).
    case unsupportedFormat(String)
    /// The file is of a known format but damaged or cut short.
    case corrupt(String)
    /// The file holds no audio at all.
    case empty(String)
    /// An encoder or decoder library refused.
    case codec(String)
    /// An ALSA call failed; `code` is ALSA's negative errno.
    case device(String, code: Int32)
    /// A setting is out of range.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let m): return "unsupported format: \(m)"
        case .corrupt(let m): return "corrupt audio: \(m)"
        case .empty(let m): return "no audio: \(m)"
        case .codec(let m): return "codec error: \(m)"
        case .device(let m, let code): return "audio device error: \(m) (ALSA \(code))"
        case .invalidSetting(let m): return "invalid setting: \(m)"
        }
    }
}
