import LoaAudio

/// Why a segment of a browser's microphone was refused, phrased for the person at the console
/// (and for whoever writes another client of `POST /api/v1/live/{id}/segments`).
public enum BrowserSourceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is not a WAV file.
    case notWAV(String)
    /// WAV, but not 16-bit PCM, or a rate or channel count the controller does not take.
    case unsupportedFormat(String)
    /// More audio in one segment than `LiveSettings.browserSegmentMaxSeconds`.
    case tooLong(seconds: Double, limit: Double)
    /// A segment of another rate or channel count than the source's first one.
    case formatChanged(was: AudioFormat, now: AudioFormat)
    /// The stream has no browser source yet and this is not its first segment.
    case notStarted(sequence: UInt64)
    /// A segment already received (a retry of one that arrived).
    case duplicate(sequence: UInt64, expected: UInt64)
    /// A segment past the next one: one in between is missing.
    case outOfOrder(sequence: UInt64, expected: UInt64)
    /// The previous segment is still being fed: segments go one at a time.
    case busy(sequence: UInt64)
    /// Another login session is the stream's browser source.
    case notYours(owner: String)
    /// The browser source has ended (timed out or stopped) while this segment came.
    case closed

    public var description: String {
        switch self {
        case .notWAV(let reason):
            return "a segment must be a WAV file (\(reason)); send 16-bit PCM WAV as audio/wav"
        case .unsupportedFormat(let reason):
            return "a segment must be 16-bit PCM WAV, mono or stereo, 8000 to 48000 Hz; this one is \(reason)"
        case .tooLong(let seconds, let limit):
            return "a segment holds at most \(Self.seconds(limit)) s of audio; this one holds \(Self.seconds(seconds)) s: send shorter segments"
        case .formatChanged(let was, let now):
            return "this segment is \(now); the source began at \(was): every segment of a source has the same rate and channels"
        case .notStarted(let sequence):
            return "segment \(sequence) came first: the stream has no browser source yet, which starts with segment 0"
        case .duplicate(let sequence, let expected):
            return "segment \(sequence) was already received; the next one expected is \(expected)"
        case .outOfOrder(let sequence, let expected):
            return "segment \(sequence) came out of order: the next one expected is \(expected)"
        case .busy(let sequence):
            return "segment \(sequence) came while the previous one was still being fed; send segments one at a time, each after the answer to the last"
        case .notYours(let owner):
            return "the stream's browser source belongs to another session (\(owner)); stop that broadcast or open a stream of your own"
        case .closed:
            return "the stream's browser source has ended"
        }
    }

    static func seconds(_ value: Double) -> String {
        String(Double((value * 100).rounded()) / 100)
    }
}
