import LoaAudio

/// What ingest turns every upload into, and what it refuses.
public struct IngestSettings: Sendable, Equatable {
    public var encoder: MP3EncoderSettings
    public var loudnessTargetLUFS: Double
    public var truePeakCeilingDBTP: Double
    public var maxUploadBytes: Int
    public var maxDurationSeconds: Int

    public init(encoder: MP3EncoderSettings = .speech, loudnessTargetLUFS: Double = -16, truePeakCeilingDBTP: Double = -1,
                maxUploadBytes: Int = 200 * 1_048_576, maxDurationSeconds: Int = 3_600) {
        self.encoder = encoder
        self.loudnessTargetLUFS = loudnessTargetLUFS
        self.truePeakCeilingDBTP = truePeakCeilingDBTP
        self.maxUploadBytes = maxUploadBytes
        self.maxDurationSeconds = maxDurationSeconds
    }

    public init(_ configuration: ControllerConfiguration) {
        self.init(encoder: configuration.encoderSettings, loudnessTargetLUFS: configuration.audio.loudnessTargetLUFS,
                  truePeakCeilingDBTP: configuration.audio.truePeakCeilingDBTP,
                  maxUploadBytes: configuration.audio.maxUploadBytes,
                  maxDurationSeconds: configuration.audio.maxDurationSeconds)
    }
}
