import Foundation

/// What an ingest hands the store: a bulletin's content facts before it has a state.
public struct NewBulletin: Sendable, Equatable {
    public var sha256: String
    public var title: String
    public var durationMs: Int
    public var loudnessLUFS: Double
    public var byteSize: Int64

    public init(sha256: String, title: String, durationMs: Int, loudnessLUFS: Double, byteSize: Int64) {
        self.sha256 = sha256
        self.title = title
        self.durationMs = durationMs
        self.loudnessLUFS = loudnessLUFS
        self.byteSize = byteSize
    }
}
