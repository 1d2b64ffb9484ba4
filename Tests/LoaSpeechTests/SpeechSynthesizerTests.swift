import Foundation
import LoaAudio
import Testing
@testable import LoaSpeech

/// Real eSpeak NG (Debian's libespeak-ng1 and its data): Vietnamese text becomes speech of a
/// length that grows with the text and slows with the rate; bad text and settings are refused
/// in words before the engine is touched.
@Suite(.serialized) struct SpeechSynthesizerTests {
    static let notice = "Kính thưa bà con, Ủy ban nhân dân xã Tân Lập thông báo: sáng mai tiêm phòng cho gia súc tại nhà văn hóa thôn Đông."

    static func rms(_ pcm: PCMBuffer) -> Double {
        (pcm.samples.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, pcm.samples.count))).squareRoot()
    }

    @Test func vietnameseTextBecomesSpeech() throws {
        let speech = try SpeechSynthesizer.synthesize(Self.notice)
        #expect(speech.format == AudioFormat(sampleRate: 22_050, channels: 1))
        // About 30 syllables at 140 words a minute: several seconds, not a blip nor a minute.
        #expect((4...20).contains(speech.duration), "\(speech.duration) s")
        #expect(Self.rms(speech) > 0.02, "speech, not silence: rms \(Self.rms(speech))")
        let twice = try SpeechSynthesizer.synthesize(Self.notice + " " + Self.notice)
        #expect(twice.duration > speech.duration * 1.6, "\(twice.duration) s for twice the text against \(speech.duration) s")
        let slow = try SpeechSynthesizer.synthesize(Self.notice, settings: SpeechSettings(rate: 90))
        #expect(slow.duration > speech.duration * 1.2, "\(slow.duration) s at 90 wpm against \(speech.duration) s at 140")
        let south = try SpeechSynthesizer.synthesize(Self.notice, settings: SpeechSettings(voice: "vi-vn-x-south"))
        #expect(south.duration > 2 && south.samples != speech.samples)
    }

    @Test(arguments: [
        ("", SpeechSettings(), "empty"), ("  \n ", SpeechSettings(), "empty"),
        (String(repeating: "a", count: 3_001), SpeechSettings(), "at most 3000"),
        ("xin chào\u{1B}[31m", SpeechSettings(), "control characters"),
        ("xin chào", SpeechSettings(voice: "klingon"), "'voice' must be one of"),
        ("xin chào", SpeechSettings(rate: 10), "'rate' must be 80 to 300"),
        ("xin chào", SpeechSettings(pitch: 100), "'pitch' must be 0 to 99"),
    ])
    func badTextAndSettingsAreRefusedInWords(text: String, settings: SpeechSettings, words: String) {
        #expect(throws: SpeechError.self) { try SpeechSynthesizer.synthesize(text, settings: settings) }
        do {
            _ = try SpeechSynthesizer.synthesize(text, settings: settings)
        } catch {
            #expect(error.description.contains(words), "\(error)")
        }
    }
}
