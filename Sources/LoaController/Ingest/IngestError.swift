/// Why an upload was refused, phrased for the broadcaster who sent it.
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    /// Neither WAV nor MP3 (text, an image, random bytes …).
    case notAudio(String)
    /// WAV or MP3, but damaged or cut short.
    case corrupt(String)
    case tooLong(seconds: Double, limitSeconds: Int)
    /// Nothing above the −70 LUFS gate: a recording of silence, or a muted microphone.
    case silent(seconds: Double)
    case encodingFailed(String)
    /// The audio was fine but could not be stored.
    case storage(String)
    /// The ingest queue is full (`audio.ingest_queue_length`); nothing was read.
    case busy(retryAfterSeconds: Int)

    public var description: String {
        switch self {
        case .empty:
            return "the upload is empty (0 bytes); choose the recording again"
        case let .tooLarge(bytes, limit):
            return "the upload is \(bytes / 1_048_576) MiB, over the limit of \(limit / 1_048_576) MiB (audio.max_upload_bytes); send a shorter or compressed recording"
        case let .notAudio(reason):
            return "not a WAV or MP3 file (\(reason)); export the recording as WAV or MP3"
        case let .corrupt(reason):
            return "the audio file is damaged or incomplete (\(reason)); upload it again"
        case let .tooLong(seconds, limit):
            return "the recording lasts \(Int(seconds.rounded())) s, over the limit of \(limit) s (audio.max_duration_seconds)"
        case let .silent(seconds):
            return "the recording (\(Int(seconds.rounded())) s) is silent; check the microphone and record again"
        case let .encodingFailed(reason):
            return "the audio could not be converted to MP3: \(reason)"
        case let .storage(reason):
            return "the bulletin could not be stored: \(reason)"
        case let .busy(seconds):
            return "the controller is processing as many uploads as it can (audio.ingest_queue_length); send it again in \(seconds) s"
        }
    }
}
