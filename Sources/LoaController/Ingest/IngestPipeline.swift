import Foundation
import LoaAudio

/// Upload bytes in, deployment-format MP3 out: check, decode, down-mix and resample, normalise
/// loudness, encode, hash. Pure (no files, no database) so every refusal is testable directly;
/// CPU-heavy, so callers run it off any event loop.
public struct IngestPipeline: Sendable {
    public var settings: IngestSettings

    public init(settings: IngestSettings) {
        self.settings = settings
    }

    public func process(_ upload: [UInt8]) throws(IngestError) -> IngestedAudio {
        guard !upload.isEmpty else { throw .empty }
        guard upload.count <= settings.maxUploadBytes else { throw .tooLarge(bytes: upload.count, limit: settings.maxUploadBytes) }
        guard let kind = AudioFile.sniff(upload) else { throw .notAudio(Self.describeStart(of: upload)) }
        if kind == .mp3 {
            // A cheap frame scan gives the length before spending time decoding an over-long file.
            let stream = try Self.mapAudioErrors { try AudioFile.scanMP3(upload) }
            try checkDuration(stream.info.duration)
        }
        let decoded = try Self.mapAudioErrors { try AudioFile.decode(upload).audio }
        try checkDuration(decoded.duration)
        let converted = try Self.mapAudioErrors { try AudioConversion.convert(decoded, to: settings.encoder.format) }
        let normalizer = LoudnessNormalizer(targetLoudness: settings.loudnessTargetLUFS, truePeakCeiling: settings.truePeakCeilingDBTP)
        let normalized: LoudnessNormalization
        do {
            normalized = try normalizer.normalize(converted)
        } catch LoudnessError.silentAudio(let seconds) {
            throw .silent(seconds: seconds)
        } catch {
            throw .encodingFailed("\(error)")
        }
        let mp3: [UInt8]
        do {
            mp3 = try MP3Encoder.encodeAll(normalized.output, settings: settings.encoder)
        } catch {
            throw .encodingFailed("\(error)")
        }
        let durationMs = Int((Double(converted.frameCount) * 1000 / Double(converted.format.sampleRate)).rounded())
        return IngestedAudio(mp3: mp3, sha256: ContentStore.sha256Hex(of: Data(mp3)), durationMs: durationMs,
                             loudnessLUFS: normalized.outputLoudness, gainDB: normalized.gainDB,
                             limitedByTruePeak: normalized.limitedByTruePeak, sourceFormat: kind.rawValue)
    }

    private func checkDuration(_ seconds: Double) throws(IngestError) {
        if seconds > Double(settings.maxDurationSeconds) { throw .tooLong(seconds: seconds, limitSeconds: settings.maxDurationSeconds) }
    }

    /// The audio core's errors, sorted into what the uploader can do about them.
    private static func mapAudioErrors<T>(_ body: () throws -> T) throws(IngestError) -> T {
        do {
            return try body()
        } catch let error as AudioError {
            switch error {
            case .unsupportedFormat(let m): throw .notAudio(m)
            case .corrupt(let m), .empty(let m): throw .corrupt(m)
            case .codec(let m), .device(let m, _), .invalidSetting(let m): throw .encodingFailed(m)
            }
        } catch {
            throw .corrupt("\(error)")
        }
    }

    /// "starts with text" or the first bytes in hex, for the refusal message.
    static func describeStart(of bytes: [UInt8]) -> String {
        let head = bytes.prefix(16)
        if head.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return "it looks like text"
        }
        return "it starts with " + head.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
    }
}
