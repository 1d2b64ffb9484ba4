import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// Frequency of a sine from its upward zero crossings (first to last), in Hz.
func estimatedFrequency(_ samples: [Int16], sampleRate: Int) -> Double {
    var crossings: [Int] = []
    for i in 1..<samples.count where samples[i - 1] < 0 && samples[i] >= 0 { crossings.append(i) }
    guard let first = crossings.first, let last = crossings.last, last > first else { return 0 }
    return Double(crossings.count - 1) * Double(sampleRate) / Double(last - first)
}

struct TestToneTests {
    @Test func slicesJoinIntoOneRampedSine() {
        let tone = TestTone(frequencyHz: 1_000, durationMs: 500)
        let format = AudioFormat.speech
        #expect(tone.frameCount(at: format) == 12_000)
        let whole = tone.slice(format, from: 0, count: 100_000)
        #expect(whole.frameCount == 12_000)
        let pieces = stride(from: 0, to: 12_000, by: 2_400).flatMap { tone.slice(format, from: $0, count: 2_400).samples }
        #expect(pieces == whole.samples)
        #expect(abs(whole.samples[0]) < 0.001 && abs(whole.samples[11_999]) < 0.01, "no click at the ends")
        let peak = whole.samples.map(abs).max() ?? 0
        #expect(abs(peak - TestTone.amplitude) < 0.01)
        #expect(abs(estimatedFrequency(whole.int16Samples(), sampleRate: 24_000) - 1_000) < 2)
        let stereo = tone.slice(AudioFormat(sampleRate: 48_000, channels: 2), from: 100, count: 10)
        #expect(stereo.samples.count == 20 && stereo.samples[0] == stereo.samples[1])
    }

    @Test func playerPlaysTheToneAfterTheAmplifierAndKeepsItOutOfTheOutbox() throws {
        let directory = TemporaryDirectory("tone")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let output = MemoryAudioOutput()
        let amplifier = RecordingAmplifier(output: output, clock: clock)
        let player = PlayerService(configuration: PlayoutConfiguration(amplifierPreRollMs: 1_000, amplifierIdleOffMs: 5_000),
                                   clock: GatewayClock(localNow: clock.function), cache: state.cache, output: output,
                                   amplifier: amplifier, log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox), logger: .quiet)
        let item = player.playTestTone(TestTone(frequencyHz: 1_000, durationMs: 400))
        #expect(item.priority == PlayerService.testTonePriority && item.content == nil)
        player.turn()
        #expect(amplifier.switches.map(\.on) == [true])
        #expect(output.events.isEmpty, "sound during the amplifier pre-roll")
        clock.advance(by: 1)
        let deadline = Date().addingTimeInterval(5)
        repeat {
            player.turn()
            usleep(5_000)
        } while (player.status.nowPlaying != nil || output.samples.isEmpty) && Date() < deadline
        #expect(output.samples.count == 9_600)
        #expect(abs(estimatedFrequency(output.samples, sampleRate: 24_000) - 1_000) < 2)
        #expect(amplifier.switches.first?.outputEventsBefore == 0)
        // In the as-played record, so the technician sees it played: started, finished.
        #expect(try state.outbox.pendingCount() == 2, "a test tone's start and end are in the as-played record")
    }
}
