import Foundation
import Testing
@testable import LoaAudio

/// A clock a test advances by hand; `sleep` advances it at once and records the wait.
final class ManualPacingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Duration = .seconds(100)
    private var waits: [Duration] = []

    var now: Duration { lock.withLock { current } }
    var sleeps: [Duration] { lock.withLock { waits } }
    func advance(_ by: Duration) { lock.withLock { current += by } }

    var clock: PacedNullOutput.Clock {
        PacedNullOutput.Clock(now: { self.now }, sleep: { duration in
            self.lock.withLock { self.waits.append(duration); self.current += duration }
        })
    }
}

/// The outputs that stand in for a sound card: memory and paced null.
@Suite("Test outputs")
struct TestOutputsTests {
    @Test("memory output keeps samples and records the call sequence")
    func memory() throws {
        let output = MemoryAudioOutput()
        #expect(throws: AudioError.self) { try output.write(int16: [1]) }
        let format = AudioFormat(sampleRate: 8_000, channels: 2)
        try output.open(format: format)
        try output.write(int16: [1, 2, 3, 4])
        try output.write(PCMBuffer(format: format, samples: [0.5, -0.5]))
        output.cancel()
        try output.drain()
        output.close()
        #expect(output.samples == [1, 2, 3, 4, 16_384, -16_384])
        #expect(output.events == [.open(format), .write(frames: 2), .write(frames: 1), .cancel, .drain, .close])
        #expect(output.buffer?.frameCount == 3)
        #expect(throws: AudioError.self) { try output.write(int16: [1, 2]) }
    }

    @Test("memory output can simulate a failing device")
    func memoryFailure() throws {
        let output = MemoryAudioOutput()
        try output.open(format: .speech)
        output.failNextWrite(with: .device("gone", code: -19))
        #expect(throws: AudioError.device("gone", code: -19)) { try output.write(int16: [1]) }
        try output.write(int16: [2])
        #expect(output.samples == [2])
    }

    @Test("paced null output blocks for the audio's duration beyond its buffer")
    func pacedWrite() throws {
        let manual = ManualPacingClock()
        let output = PacedNullOutput(bufferTime: .milliseconds(200), clock: manual.clock)
        let format = AudioFormat(sampleRate: 10_000, channels: 1)
        try output.open(format: format)
        let start = manual.now
        try output.write(int16: [Int16](repeating: 0, count: 1_000))  // 100 ms: fits in the buffer
        #expect(manual.sleeps.isEmpty)
        #expect(output.delay() == 1_000)
        try output.write(int16: [Int16](repeating: 0, count: 10_000))  // 1 s more: waits 0.9 s
        #expect(manual.now - start == .milliseconds(900))
        #expect(output.delay() == 2_000)  // the buffer stays full
        manual.advance(.milliseconds(50))
        #expect(output.delay() == 1_500)
        try output.drain()
        #expect(manual.now - start == .milliseconds(1_100))
        #expect(output.delay() == 0)
        #expect(output.underruns == 0)
        #expect(output.totalFramesWritten == 11_000)
    }

    @Test("paced null output: cancel drops the queue; a late write is an underrun")
    func pacedCancelAndUnderrun() throws {
        let manual = ManualPacingClock()
        let output = PacedNullOutput(bufferTime: .milliseconds(200), clock: manual.clock)
        try output.open(format: AudioFormat(sampleRate: 1_000, channels: 2))
        try output.write(int16: [Int16](repeating: 0, count: 200))  // 100 ms
        output.cancel()
        #expect(output.delay() == 0)
        try output.write(int16: [Int16](repeating: 0, count: 200))
        manual.advance(.milliseconds(150))  // the player was late: the speaker went quiet
        try output.write(int16: [Int16](repeating: 0, count: 200))
        #expect(output.underruns == 1)
        #expect(output.delay() == 100)
        try output.drain()
        manual.advance(.seconds(1))
        try output.write(int16: [Int16](repeating: 0, count: 2))  // after a drain: a new stream, no underrun
        #expect(output.underruns == 1)
        output.close()
        #expect(throws: AudioError.self) { try output.write(int16: [0, 0]) }
    }

    @Test("paced null output in real time takes about as long as the audio")
    func pacedRealTime() throws {
        let output = PacedNullOutput(bufferTime: .milliseconds(50))
        try output.open(format: AudioFormat(sampleRate: 8_000, channels: 1))
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<10 { try output.write(int16: [Int16](repeating: 0, count: 240)) }  // 10 × 30 ms
            try output.drain()
        }
        #expect(elapsed >= .milliseconds(280) && elapsed < .milliseconds(900), "took \(elapsed)")
    }

    @Test("software volume output scales what reaches the wrapped output")
    func softwareVolumeOutput() throws {
        let memory = MemoryAudioOutput()
        let output = SoftwareVolumeOutput(wrapping: memory, volume: SoftwareVolume(percent: 50))
        try output.open(format: .speech)
        try output.write(int16: [10_000, -10_000])
        output.volume.setVolume(100)
        try output.write(int16: [10_000])
        #expect(memory.samples == [5_000, -5_000, 10_000])
        #expect(output.openFormat == .speech)
    }
}
