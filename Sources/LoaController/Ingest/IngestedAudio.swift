/// The outcome of the ingest pipeline: the facts the bulletin row records about the MP3 it wrote.
public struct IngestedAudio: Sendable, Equatable {
    /// Lower-case hex SHA-256 of the MP3: the content address.
    public var sha256: String
    public var byteSize: Int
    /// Decoded length in the deployment format.
    public var durationMs: Int
    /// Integrated loudness after normalisation.
    public var loudnessLUFS: Double
    /// Gain applied to reach the target; large values mean a very quiet or very loud source.
    public var gainDB: Double
    /// True when the true-peak ceiling held the gain below the loudness target.
    public var limitedByTruePeak: Bool
    /// "wav" or "mp3".
    public var sourceFormat: String
}
