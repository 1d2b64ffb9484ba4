/// Why an MP3 byte stream could not be parsed, phrased for the person who uploaded it.
public enum MP3ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Zero bytes.
    case emptyInput
    /// No run of valid Layer III frames anywhere: not an MP3 (text, another format, noise).
    case noFramesFound(byteCount: Int)
    /// The stream ends inside a frame (an interrupted upload or copy).
    case truncatedFrame(offset: Int, expectedLength: Int, availableLength: Int, completeFrames: Int)

    public var description: String {
        switch self {
        case .emptyInput:
            return "empty input: the file has no bytes"
        case .noFramesFound(let count):
            return "not an MP3: no MPEG Layer III frames found in \(count) bytes"
        case .truncatedFrame(let offset, let expected, let available, let complete):
            return "truncated MP3: the frame at byte \(offset) needs \(expected) bytes but only \(available) remain (after \(complete) complete frames); the file was cut short"
        }
    }
}
