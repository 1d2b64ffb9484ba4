import Foundation

/// An audio bulletin, identified by the SHA-256 of its content.
public struct Bulletin: Sendable, Equatable, Identifiable {
    /// Lowercase hex SHA-256 of the stored MP3.
    public var sha256: String
    public var title: String
    public var durationMs: Int
    /// Integrated loudness after normalisation.
    public var loudnessLUFS: Double
    public var byteSize: Int64
    public var state: BulletinState
    public var createdBy: String
    public var createdAt: Date
    public var approvedBy: String?
    public var approvedAt: Date?
    public var archivedAt: Date?

    public var id: String { sha256 }

    public init(
        sha256: String, title: String, durationMs: Int, loudnessLUFS: Double, byteSize: Int64,
        state: BulletinState = .draft, createdBy: String, createdAt: Date,
        approvedBy: String? = nil, approvedAt: Date? = nil, archivedAt: Date? = nil
    ) {
        self.sha256 = sha256
        self.title = title
        self.durationMs = durationMs
        self.loudnessLUFS = loudnessLUFS
        self.byteSize = byteSize
        self.state = state
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.archivedAt = archivedAt
    }

    static func isValidSHA256(_ hex: String) -> Bool {
        hex.utf8.count == 64 && hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
