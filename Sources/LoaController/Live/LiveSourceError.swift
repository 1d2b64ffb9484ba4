/// Why a live source was refused or cut, phrased for the person at the encoder.
public enum LiveSourceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not an MP3 stream (nothing went on air).
    case notMP3(String)
    /// MP3 that cannot be decoded or changes format part-way.
    case corrupt(String)
    /// The transcoder itself failed (LAME or the resampler).
    case encodingFailed(String)

    public var description: String {
        switch self {
        case .notMP3(let reason):
            return "the source is not an MP3 stream (\(reason)); send MP3 as audio/mpeg, e.g. ffmpeg … -c:a libmp3lame -f mp3"
        case .corrupt(let reason):
            return "the MP3 source could not be decoded (\(reason)); restart the encoder"
        case .encodingFailed(let reason):
            return "the live audio could not be converted to the deployment format: \(reason)"
        }
    }
}
