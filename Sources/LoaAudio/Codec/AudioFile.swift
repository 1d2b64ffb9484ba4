#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading an audio file of either format Loa accepts (WAV or MP3), told apart by content, not by name.
public enum AudioFile {
    public enum Kind: String, Sendable { case wav, mp3 }

    /// What the bytes look like: WAV (RIFF/WAVE), MP3 (an ID3v2 tag or an MPEG audio sync word), or nil.
    public static func sniff(_ bytes: [UInt8]) -> Kind? {
        if bytes.count >= 12, bytes.ascii(0, 4) == "RIFF", bytes.ascii(8, 4) == "WAVE" { return .wav }
        if bytes.count >= 10, bytes.ascii(0, 3) == "ID3" { return .mp3 }
        if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] & 0xE0 == 0xE0, (bytes[1] >> 1) & 0x3 == 1 { return .mp3 }
        return nil
    }

    /// Reads a whole file into memory, with an error that names it when it cannot be read.
    public static func bytes(path: String) throws -> [UInt8] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory,
              let data = FileManager.default.contents(atPath: path) else {
            throw AudioFileError.unreadable(path)
        }
        return [UInt8](data)
    }

    /// Decodes a WAV or MP3 file to PCM.
    public static func decode(path: String) throws -> (audio: PCMBuffer, kind: Kind) {
        let bytes = try bytes(path: path)
        do {
            return try decode(bytes)
        } catch let error as AudioError {
            throw error.prefixed(with: "'\(path)'")
        }
    }

    /// Decodes WAV or MP3 bytes to PCM.
    public static func decode(_ bytes: [UInt8]) throws -> (audio: PCMBuffer, kind: Kind) {
        guard !bytes.isEmpty else { throw AudioError.empty("the file is empty") }
        switch sniff(bytes) {
        case .wav: return (try WAVFile.decode(bytes).audio, .wav)
        case .mp3:
            // The scan refuses noise that merely starts like an MP3 and files cut short, before decoding.
            _ = try scanMP3(bytes)
            return (try MP3Decoder.decodeAll(bytes), .mp3)
        case nil: throw AudioError.unsupportedFormat("neither WAV nor MP3")
        }
    }
}

extension AudioFile {
    /// Parses an MP3's frames without decoding; parse errors become `AudioError`s.
    public static func scanMP3(_ bytes: [UInt8]) throws -> MP3Stream {
        do {
            return try MP3Scanner.scan(bytes)
        } catch let error as MP3ParseError {
            throw AudioError(error)
        }
    }
}

/// A file that cannot be opened at all (as opposed to one whose content is wrong).
public enum AudioFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    /// The file opened but a read failed part-way (a disk error, a file on a vanished mount).
    case readFailed(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read '\(path)': no such file, or not a readable file"
        case let .readFailed(path, reason): return "reading '\(path)' failed: \(reason)"
        }
    }
}

extension AudioError {
    /// A frame parser's refusal, sorted like every other audio error: nothing there (empty),
    /// not MP3 (unsupported), cut short (corrupt).
    init(_ error: MP3ParseError) {
        switch error {
        case .emptyInput: self = .empty("the file is empty")
        case .noFramesFound: self = .unsupportedFormat(error.description)
        case .truncatedFrame: self = .corrupt(error.description)
        }
    }
}
