import Foundation
import Testing
@testable import LoaAudio

/// Bad input fails with an error that names the device and what was being done; no crash.
@Suite("ALSA bad input")
struct ALSAErrorTests {
    @Test("a nonexistent PCM name gives a clear error")
    func nonexistentDevice() {
        let output = ALSAPlayback(device: .named("nonexistent"))
        #expect(throws: AudioError.device("ALSA device 'nonexistent': No such file or directory (open)", code: -2)) {
            try output.open(format: .speech)
        }
        #expect(output.openFormat == nil)
        let input = ALSACapture(device: .named("nonexistent"))
        #expect(throws: AudioError.device("ALSA device 'nonexistent': No such file or directory (open)", code: -2)) {
            try input.open(format: .speech)
        }
    }

    @Test("a name the in-memory config does not define gives a clear error")
    func undefinedInMemoryName() {
        let device = ALSADevice(name: "other", configText: "pcm.loatest { type null }")
        let error = #expect(throws: AudioError.self) { try ALSAPlayback(device: device).open(format: .speech) }
        #expect(error?.description.contains("ALSA device 'other'") == true)
        #expect(error?.description.contains("(open)") == true)
    }

    @Test("configuration text that does not parse is reported as such")
    func badConfigText() {
        let device = ALSADevice(name: "broken", configText: "pcm.broken { type file ")
        let error = #expect(throws: AudioError.self) { try ALSAPlayback(device: device).open(format: .speech) }
        #expect(error?.description.contains("'broken'") == true)
    }

    @Test("writing, draining or reading when not open fails instead of crashing")
    func useAfterClose() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let output = ALSAPlayback(device: .filePCM(path: dir.path("out.raw")))
        #expect(throws: AudioError.self) { try output.write(int16: [0, 0]) }  // never opened
        try output.open(format: .speech)
        try output.write(int16: [1, 2, 3])
        output.close()
        let error = #expect(throws: AudioError.self) { try output.write(int16: [0, 0]) }
        #expect(error?.description.contains("not open (write)") == true)
        #expect(throws: AudioError.self) { try output.drain() }
        output.cancel()  // harmless when closed
        #expect(output.delay() == 0)
    }

    @Test("an invalid format is refused before ALSA sees it",
          arguments: [AudioFormat(sampleRate: 48_000, channels: 0), AudioFormat(sampleRate: 0, channels: 1),
                      AudioFormat(sampleRate: 48_000, channels: -1)])
    func invalidFormat(format: AudioFormat) throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let output = ALSAPlayback(device: .filePCM(path: dir.path("out.raw")))
        let error = #expect(throws: AudioError.self) { try output.open(format: format) }
        guard case .invalidSetting(let message)? = error else { Issue.record("expected invalidSetting, got \(String(describing: error))"); return }
        #expect(message.contains("ALSA device 'loafile'"))
        #expect(throws: AudioError.self) { try ALSACapture(device: .named("default")).open(format: format) }
    }

    @Test("a partial frame is refused")
    func partialFrame() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let output = ALSAPlayback(device: .filePCM(path: dir.path("out.raw")))
        try output.open(format: AudioFormat(sampleRate: 8_000, channels: 2))
        defer { output.close() }
        #expect(throws: AudioError.self) { try output.write(int16: [1, 2, 3]) }
        #expect(throws: AudioError.self) { try output.write(PCMBuffer(format: .speech, samples: [0])) }  // wrong format
    }

    @Test("paths with quotes and backslashes survive the in-memory config")
    func quotedPath() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let file = dir.path("we\"ird\\name.raw")
        let output = ALSAPlayback(device: .filePCM(path: file))
        try output.open(format: AudioFormat(sampleRate: 8_000, channels: 1))
        try output.write(int16: [7, 8, 9])
        try output.drain()
        output.close()
        #expect(try RawPCMFile.read(file) == [7, 8, 9])
    }
}
