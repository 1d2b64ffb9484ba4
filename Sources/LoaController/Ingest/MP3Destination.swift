import Foundation
import LoaAudio

/// Where the ingest pipeline writes the MP3 as it encodes it: memory (`MemoryMP3Destination`)
/// or a file in the content store's temporary area (`MP3TempFile`).
public protocol MP3Destination {
    mutating func write(_ bytes: [UInt8]) throws(IngestError)
    /// Puts the Info/LAME tag in place once the stream is complete.
    mutating func fixStart(_ fix: MP3StreamEncoder.StartFix) throws(IngestError)
    /// Ends the output: its SHA-256 and length.
    mutating func finish() throws(IngestError) -> (sha256: String, byteSize: Int)
}

/// The MP3 in an array.
public struct MemoryMP3Destination: MP3Destination {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ bytes: [UInt8]) { self.bytes += bytes }

    public mutating func fixStart(_ fix: MP3StreamEncoder.StartFix) {
        switch fix {
        case .none: break
        case .overwrite(let tag): bytes.replaceSubrange(0..<tag.count, with: tag)
        case .prepend(let frame): bytes.insert(contentsOf: frame, at: 0)
        }
    }

    public mutating func finish() -> (sha256: String, byteSize: Int) {
        (ContentStore.sha256Hex(of: Data(bytes)), bytes.count)
    }
}
