#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A decoded WAV file: its audio and how the samples were stored.
public struct WAVFile: Equatable, Sendable {
    public var audio: PCMBuffer
    public var sampleFormat: WAVSampleFormat

    public init(audio: PCMBuffer, sampleFormat: WAVSampleFormat = .pcm16) {
        self.audio = audio
        self.sampleFormat = sampleFormat
    }

    /// Reads and decodes the WAV file at `path`.
    public static func read(path: String) throws -> WAVFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AudioError.unsupportedFormat("cannot read '\(path)'")
        }
        do {
            return try decode([UInt8](data))
        } catch let error as AudioError {
            throw error.prefixed(with: "'\(path)'")
        }
    }

    /// Encodes and writes the file atomically (a crash never leaves half a file under `path`).
    public func write(path: String) throws {
        try Data(encoded()).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

extension AudioError {
    /// The same error with `context` (usually a file name) in front of its message.
    func prefixed(with context: String) -> AudioError {
        switch self {
        case .unsupportedFormat(let m): return .unsupportedFormat("\(context): \(m)")
        case .corrupt(let m): return .corrupt("\(context): \(m)")
        case .empty(let m): return .empty("\(context): \(m)")
        case .codec(let m): return .codec("\(context): \(m)")
        case .device(let m, let code): return .device("\(context): \(m)", code: code)
        case .invalidSetting(let m): return .invalidSetting("\(context): \(m)")
        }
    }
}
