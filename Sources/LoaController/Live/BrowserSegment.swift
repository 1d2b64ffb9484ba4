import LoaAudio

/// One segment of a browser's microphone: a 16-bit PCM WAV, mono or stereo, 8–48 kHz, at most
/// `maxSeconds` long — what the console builds from the samples Web Audio hands it. Pure.
enum BrowserSegment {
    static let sampleRates = 8_000...48_000

    /// The segment's audio, or why it is refused.
    static func decode(_ bytes: [UInt8], maxSeconds: Double) throws(BrowserSourceError) -> PCMBuffer {
        let wav: WAVFile
        do {
            wav = try WAVFile.decode(bytes)
        } catch let error as AudioError {
            switch error {
            case .unsupportedFormat(let reason) where reason.hasPrefix("not a WAV"): throw BrowserSourceError.notWAV(reason)
            case .unsupportedFormat(let reason): throw BrowserSourceError.unsupportedFormat(reason)
            case .corrupt(let reason), .empty(let reason): throw BrowserSourceError.notWAV(reason)
            default: throw BrowserSourceError.notWAV("\(error)")
            }
        } catch {
            throw BrowserSourceError.notWAV("\(error)")
        }
        let format = wav.audio.format
        guard wav.sampleFormat == .pcm16, (1...2).contains(format.channels), sampleRates.contains(format.sampleRate) else {
            throw .unsupportedFormat("\(wav.sampleFormat), \(format)")
        }
        guard wav.audio.duration <= maxSeconds else { throw .tooLong(seconds: wav.audio.duration, limit: maxSeconds) }
        return wav.audio
    }

    /// The largest body a segment can take: `maxSeconds` at 48 kHz stereo, 16-bit, plus headers.
    static func maxBytes(maxSeconds: Double) -> Int {
        Int(maxSeconds * Double(sampleRates.upperBound)) * 2 * 2 + 4_096
    }
}
