import Foundation
import LoaAudio

/// Upload in, deployment-format MP3 out: check, decode, down-mix and resample, normalise
/// loudness, encode, hash. Streams: the upload is read a chunk at a time, twice — pass 1
/// measures integrated loudness and true peak of the converted audio, pass 2 decodes again,
/// applies the one static gain and encodes into `output` — so memory does not grow with the
/// recording's length. No database; CPU-heavy, so callers run it on a thread of its own
/// (`IngestQueue`), never on an event loop or Swift's cooperative pool.
public struct IngestPipeline: Sendable {
    public var settings: IngestSettings
    /// Source frames per decoded chunk (~0.4 s at 44.1 kHz).
    public var chunkFrames = 16_384

    public init(settings: IngestSettings) {
        self.settings = settings
    }

    /// Processes the upload in `upload` into `output`.
    public func process(_ upload: some AudioByteSource, into output: inout some MP3Destination) throws(IngestError) -> IngestedAudio {
        guard upload.byteCount > 0 else { throw .empty }
        guard upload.byteCount <= settings.maxUploadBytes else { throw .tooLarge(bytes: upload.byteCount, limit: settings.maxUploadBytes) }
        let head = try Self.mapAudioErrors { try upload.read(at: 0, upTo: 512) }
        guard let kind = AudioFile.sniff(head) else { throw .notAudio(Self.describeStart(of: head)) }
        if kind == .mp3 {
            // A cheap frame scan gives the length before spending time decoding an over-long file.
            let info = try Self.mapAudioErrors { try AudioFile.scanMP3(upload) }
            try checkDuration(info.duration)
        }
        let measured = try measure(upload)
        let normalizer = LoudnessNormalizer(targetLoudness: settings.loudnessTargetLUFS, truePeakCeiling: settings.truePeakCeilingDBTP)
        let gain: (gainDB: Double, limitedByTruePeak: Bool)
        do {
            gain = try normalizer.gain(for: measured.loudness)
        } catch LoudnessError.silentAudio(let seconds) {
            throw .silent(seconds: seconds)
        } catch {
            throw .encodingFailed("\(error)")
        }
        try encode(upload, gainDB: gain.gainDB, into: &output)
        let stored = try output.finish()
        let durationMs = Int((Double(measured.frames) * 1000 / Double(settings.encoder.sampleRate)).rounded())
        return IngestedAudio(sha256: stored.sha256, byteSize: stored.byteSize, durationMs: durationMs,
                             loudnessLUFS: measured.loudness.integratedLoudness! + gain.gainDB, gainDB: gain.gainDB,
                             limitedByTruePeak: gain.limitedByTruePeak, sourceFormat: kind.rawValue)
    }

    /// Processes an upload held in memory; the MP3 comes back in memory too.
    public func process(_ upload: [UInt8]) throws(IngestError) -> (audio: IngestedAudio, mp3: [UInt8]) {
        var output = MemoryMP3Destination()
        let audio = try process(ByteArraySource(upload), into: &output)
        return (audio, output.bytes)
    }

    /// Pass 1: decode, convert and meter; the converted length in frames.
    private func measure(_ upload: some AudioByteSource) throws(IngestError) -> (loudness: LoudnessMeasurement, frames: Int) {
        var decoder = try Self.mapAudioErrors { try AudioStreamDecoder(upload, chunkFrames: chunkFrames) }
        if let seconds = decoder.declaredDuration { try checkDuration(seconds) }
        var converter: AudioConverter?
        var meter = StreamingLoudnessMeter(format: settings.encoder.format)
        var sourceFrames = 0, convertedFrames = 0, sourceRate = 1
        while let chunk = try Self.mapAudioErrors({ try decoder.next() }) {
            if converter == nil {
                converter = try Self.mapAudioErrors { try AudioConverter(from: chunk.format, to: settings.encoder.format) }
                sourceRate = chunk.format.sampleRate
            }
            sourceFrames += chunk.frameCount
            // Stop as soon as the recording is known to be too long (an MP3 without a usable
            // frame count): the refusal names the length decoded so far.
            try checkDuration(Double(sourceFrames) / Double(sourceRate))
            let converted = try Self.mapAudioErrors { try Self.convert(chunk, with: &converter) }
            convertedFrames += converted.frameCount
            meter.add(converted)
        }
        if var last = converter {
            let tail = last.flush()
            convertedFrames += tail.frameCount
            meter.add(tail)
        }
        return (meter.finish(), convertedFrames)
    }

    /// Pass 2: decode and convert again, apply the gain, encode.
    private func encode(_ upload: some AudioByteSource, gainDB: Double, into output: inout some MP3Destination) throws(IngestError) {
        let factor = Float(pow(10, gainDB / 20))
        let encoder = try Self.encoding { try MP3StreamEncoder(settings: settings.encoder) }
        var decoder = try Self.mapAudioErrors { try AudioStreamDecoder(upload, chunkFrames: chunkFrames) }
        var converter: AudioConverter?
        func write(_ converted: PCMBuffer) throws(IngestError) {
            var scaled = converted
            scaled.samples.withUnsafeMutableBufferPointer { x in
                for i in x.indices { x[i] *= factor }
            }
            try output.write(try Self.encoding { try encoder.encode(scaled) })
        }
        while let chunk = try Self.mapAudioErrors({ try decoder.next() }) {
            if converter == nil {
                converter = try Self.mapAudioErrors { try AudioConverter(from: chunk.format, to: settings.encoder.format) }
            }
            try write(try Self.mapAudioErrors { try Self.convert(chunk, with: &converter) })
        }
        if var last = converter { try write(last.flush()) }
        let ending = try Self.encoding { try encoder.finish() }
        try output.write(ending.tail)
        try output.fixStart(ending.start)
    }

    private static func convert(_ chunk: PCMBuffer, with converter: inout AudioConverter?) throws -> PCMBuffer {
        guard converter != nil else { throw AudioError.invalidSetting("no converter") }
        return converter!.process(chunk)
    }

    private func checkDuration(_ seconds: Double) throws(IngestError) {
        if seconds > Double(settings.maxDurationSeconds) { throw .tooLong(seconds: seconds, limitSeconds: settings.maxDurationSeconds) }
    }

    private static func encoding<T>(_ body: () throws -> T) throws(IngestError) -> T {
        do { return try body() } catch { throw .encodingFailed("\(error)") }
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
        } catch let error as AudioFileError {
            throw .storage("\(error)")
        } catch {
            throw .corrupt("\(error)")
        }
    }

    /// What the upload looks like instead, in words a broadcaster understands (never bytes in
    /// hex): text (ASCII or UTF-8, Vietnamese included), a document, a picture, a video, an
    /// archive, or "its first bytes are no audio format".
    static func describeStart(of bytes: [UInt8]) -> String {
        let head = Array(bytes.prefix(512))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<(offset + magic.count)]) == magic
        }
        if starts(Array("%PDF".utf8)) { return "it is a PDF document" }
        if starts([0x89, 0x50, 0x4E, 0x47]) || starts([0xFF, 0xD8, 0xFF]) || starts(Array("GIF8".utf8)) { return "it is a picture" }
        if starts(Array("ftyp".utf8), at: 4) { return "it is an MP4 or M4A file, which Loa does not read; export it as MP3 or WAV" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "it is a ZIP archive or an Office document" }
        if starts([0xD0, 0xCF, 0x11, 0xE0]) { return "it is an old Office document" }
        if Self.looksLikeText(head) { return "it looks like text, not a sound recording" }
        return "its first bytes are not those of any audio format Loa reads"
    }

    /// UTF-8 (a character cut at the end allowed) with no control characters but tab and line breaks.
    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        var body = bytes[...]
        // Drop a multi-byte character the prefix cut in half.
        var trail = 0
        while trail < 3, let last = body.last, last & 0xC0 == 0x80 { body = body.dropLast(); trail += 1 }
        if let last = body.last, last & 0xC0 == 0xC0 { body = body.dropLast() }
        guard let text = String(validating: body, as: UTF8.self) else { return false }
        return text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F || $0 == "\n" || $0 == "\r" || $0 == "\t" }
    }
}
