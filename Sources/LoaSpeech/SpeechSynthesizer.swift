import CEspeakNG
import Foundation
import LoaAudio
import Synchronization

/// How a text is spoken: one of eSpeak NG's voices and its rate and pitch.
public struct SpeechSettings: Sendable, Equatable {
    /// The Vietnamese voices eSpeak NG ships (`espeak-ng --voices=vi`): Northern, Central, Southern.
    public static let voices = ["vi", "vi-vn-x-central", "vi-vn-x-south"]
    /// Words per minute.
    public static let rates = 80...300
    public static let pitches = 0...99
    /// The most characters spoken at once (about four minutes of speech).
    public static let maxCharacters = 3_000

    public var voice: String
    public var rate: Int
    public var pitch: Int

    public init(voice: String = "vi", rate: Int = 140, pitch: Int = 50) {
        self.voice = voice
        self.rate = rate
        self.pitch = pitch
    }

    /// Why these settings or this text cannot be spoken, in words; nil when they can.
    public func problem(with text: String) -> String? {
        guard Self.voices.contains(voice) else { return "'voice' must be one of \(Self.voices.joined(separator: ", "))" }
        guard Self.rates.contains(rate) else { return "'rate' must be \(Self.rates.lowerBound) to \(Self.rates.upperBound) words a minute" }
        guard Self.pitches.contains(pitch) else { return "'pitch' must be \(Self.pitches.lowerBound) to \(Self.pitches.upperBound)" }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "'text' is empty: type what the bulletin should say" }
        guard text.count <= Self.maxCharacters else {
            return "'text' is \(text.count) characters; at most \(Self.maxCharacters) are spoken at once (split it into several bulletins)"
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            return "'text' holds control characters; send plain text"
        }
        return nil
    }
}

public enum SpeechError: Error, Equatable, CustomStringConvertible {
    /// eSpeak NG or its voice data is missing or broken on this machine.
    case unavailable(String)
    /// The text or settings (`SpeechSettings.problem`).
    case invalid(String)
    /// eSpeak NG refused or produced nothing.
    case failed(String)

    public var description: String {
        switch self {
        case .unavailable(let m): return "speech synthesis unavailable: \(m)"
        case .invalid(let m): return m
        case .failed(let m): return "speech synthesis failed: \(m)"
        }
    }
}

/// Text to PCM with eSpeak NG, synchronously on the calling thread (call it from a thread of
/// its own: a paragraph takes a fraction of a second, four minutes of speech a few). eSpeak NG
/// keeps global state, so one synthesis runs at a time in the process; it is initialised on first use.
public enum SpeechSynthesizer {
    private static let engine = Mutex<Int32?>(nil)

    /// The speech as mono 16-bit PCM at eSpeak NG's rate (22 050 Hz).
    public static func synthesize(_ text: String, settings: SpeechSettings = SpeechSettings()) throws(SpeechError) -> PCMBuffer {
        if let problem = settings.problem(with: text) { throw .invalid(problem) }
        let result: Result<PCMBuffer, SpeechError> = engine.withLock { sampleRate in
            if sampleRate == nil {
                let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 500, nil, 0)
                guard rate > 0 else { return .failure(.unavailable("espeak_Initialize answered \(rate) (is espeak-ng-data installed?)")) }
                espeak_SetSynthCallback(collect)
                sampleRate = rate
            }
            guard let rate = sampleRate else { return .failure(.unavailable("not initialised")) }
            guard espeak_SetVoiceByName(settings.voice) == EE_OK else { return .failure(.unavailable("no voice '\(settings.voice)'")) }
            espeak_SetParameter(espeakRATE, Int32(settings.rate), 0)
            espeak_SetParameter(espeakPITCH, Int32(settings.pitch), 0)
            let sink = Sink()
            let box = Unmanaged.passRetained(sink)
            defer { box.release() }
            let status = text.withCString { chars in
                espeak_Synth(chars, strlen(chars) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8 | espeakENDPAUSE), nil, box.toOpaque())
            }
            guard status == EE_OK else { return .failure(.failed("espeak_Synth answered \(status.rawValue)")) }
            guard espeak_Synchronize() == EE_OK else { return .failure(.failed("espeak_Synchronize failed")) }
            guard !sink.samples.isEmpty else { return .failure(.failed("no audio came out")) }
            return .success(PCMBuffer(format: AudioFormat(sampleRate: Int(rate), channels: 1), int16: sink.samples))
        }
        return try result.get()
    }

    /// Where one synthesis's samples go (its address rides in each event's `user_data`).
    private final class Sink {
        var samples: [Int16] = []
    }

    /// eSpeak NG's callback: a block of samples and the events that go with it; 0 goes on.
    private static let collect: @convention(c) (UnsafeMutablePointer<Int16>?, Int32, UnsafeMutablePointer<espeak_EVENT>?) -> Int32 = { wav, count, events in
        guard let events, let user = events.pointee.user_data else { return 0 }
        let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
        if let wav, count > 0 { sink.samples.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count))) }
        return 0
    }
}
