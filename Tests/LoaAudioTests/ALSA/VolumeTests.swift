import Foundation
import Testing
@testable import LoaAudio

/// Software volume through real ALSA, the mixer's pure mappings, and the fallback choice.
@Suite("Volume")
struct VolumeTests {
    /// Plays a 1 kHz sine at amplitude 0.5 through a file PCM at `percent` software volume; returns the RMS.
    private func playedRMS(percent: Int, format: AudioFormat) throws -> Double {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let file = dir.path("out.raw")
        let chain = ALSAOutputWithVolume.make(device: .filePCM(path: file), mixerElement: "Master")
        #expect(chain.volume.kind == .software)
        try chain.volume.setVolume(percent)
        try chain.output.open(format: format)
        try chain.output.write(Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 0.5, format: format))
        try chain.output.drain()
        chain.output.close()
        let samples = try RawPCMFile.read(file)
        #expect(samples.count == format.sampleRate / 2 * format.channels)
        return RawPCMFile.rms(samples)
    }

    @Test("software volume at 50 % halves the RMS (linear amplitude)",
          arguments: [AudioFormat(sampleRate: 48_000, channels: 1), AudioFormat(sampleRate: 44_100, channels: 2)])
    func softwareHalf(format: AudioFormat) throws {
        let full = try playedRMS(percent: 100, format: format)
        let half = try playedRMS(percent: 50, format: format)
        #expect(abs(full - 0.3536) / 0.3536 < 0.01, "full RMS \(full)")
        #expect(abs(half / full - 0.5) < 0.005, "ratio \(half / full)")
        #expect(try playedRMS(percent: 0, format: format) == 0)
    }

    @Test("software volume clamps and maps percent to gain")
    func softwareMapping() {
        let volume = SoftwareVolume(percent: 250)
        #expect(volume.volume() == 100)
        volume.setVolume(-3)
        #expect(volume.volume() == 0)
        #expect(SoftwareVolume.gain(percent: 50) == 0.5)
        volume.setVolume(25)
        #expect(volume.apply(to: [20_000, -20_000, 1]) == [5_000, -5_000, 0])
        volume.setVolume(100)
        #expect(volume.apply(to: [.max, .min]) == [.max, .min])
    }

    @Test("mixer percent ↔ raw mapping", arguments: [
        (0...65_536, 50, 32_768), (0...65_536, 0, 0), (0...65_536, 100, 65_536),
        (-10_239...400, 100, 400), (-10_239...400, 0, -10_239), (0...31, 130, 31),
    ])
    func mixerMapping(range: ClosedRange<Int>, percent: Int, raw: Int) {
        #expect(ALSAMixerVolume.raw(percent: percent, range: range) == raw)
        #expect(ALSAMixerVolume.percent(raw: raw, range: range) == min(100, max(0, percent)))
    }

    @Test("a coarse range rounds to the nearest step")
    func mixerCoarse() {
        #expect(ALSAMixerVolume.raw(percent: 50, range: 0...31) == 16)
        #expect(ALSAMixerVolume.percent(raw: 16, range: 0...31) == 52)
    }

    @Test("every percent survives a round trip through a coarse range")
    func mixerRoundTrip() {
        for percent in 0...100 {
            let raw = ALSAMixerVolume.raw(percent: percent, range: 0...255)
            #expect(ALSAMixerVolume.percent(raw: raw, range: 0...255) == percent)
        }
    }

    @Test("card name from a PCM name", arguments: [
        ("default", "default"), ("pulse", "default"), ("hw:0", "hw:0"), ("hw:1,0", "hw:1"),
        ("plughw:2,0", "hw:2"), ("plughw:CARD=Device,DEV=0", "hw:Device"), ("sysdefault:CARD=PCH", "hw:PCH"),
        ("dmix:1", "hw:1"), ("file:FILE=/tmp/x.raw,FORMAT=raw", "default"), ("loatest", "default"),
    ])
    func cardName(pcm: String, card: String) {
        #expect(ALSAMixerVolume.cardName(forPCM: pcm) == card)
    }

    @Test("a card without a mixer gives a clear error and the chain falls back to software")
    func fallback() {
        let error = #expect(throws: AudioError.self) { try ALSAMixerVolume(card: "hw:7", element: "Master") }
        #expect(error?.description.contains("ALSA mixer 'hw:7'") == true)
        let chain = ALSAOutputWithVolume.make(device: .named("hw:7,0"), mixerElement: "Master")
        #expect(chain.volume.kind == .software)
        #expect(chain.fallbackReason?.contains("hw:7") == true)
        #expect(chain.output is SoftwareVolumeOutput)
        let none = ALSAOutputWithVolume.make(device: .named("default"), mixerElement: nil)
        #expect(none.fallbackReason == "no mixer element configured")
    }
}
