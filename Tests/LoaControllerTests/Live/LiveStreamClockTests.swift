import Testing
@testable import LoaController

@Suite struct LiveStreamClockTests {
    let t0: Int64 = 1_780_000_000_000   // ms

    @Test func startAtIsFirstAudioPlusDelayAndKeepsTheFirst() {
        var clock = LiveStreamClock(sampleRate: 24_000, delayMs: 2_000)
        #expect(clock.startAtMs == nil)
        #expect(clock.start(firstAudioAtMs: t0) == t0 + 2_000)
        #expect(clock.start(firstAudioAtMs: t0 + 500) == t0 + 2_000)
    }

    @Test func presentationTimesFollowTheSampleCountWithoutDrift() {
        var clock = LiveStreamClock(sampleRate: 24_000, delayMs: 2_000)
        clock.start(firstAudioAtMs: t0)
        // A source in real time: payload n goes out when its audio arrived, n × 240 ms after the first.
        var times: [Int64] = []
        for n in 0..<1_000 {
            let now = (t0 + Int64(n) * 240) * 1_000_000
            times.append(clock.nextPresentationTime(payloadSamples: 5_760, nowNs: now))
        }
        #expect(times[0] == (t0 + 2_000) * 1_000_000)
        #expect(times[1] - times[0] == 240_000_000)
        // 1000 payloads of 5760 samples: exactly 240 s after the start, no rounding drift.
        #expect(times[999] == (t0 + 2_000) * 1_000_000 + 999 * 240_000_000)
        #expect(clock.reanchors == 0)
    }

    @Test func oddSampleCountsAreComputedFromTotals() {
        // 576 samples at 24 kHz = 24 ms; 7 frames = 168 ms; 10^9/24000 is not an integer.
        var clock = LiveStreamClock(sampleRate: 24_000, delayMs: 2_000)
        clock.start(firstAudioAtMs: t0)
        let now = t0 * 1_000_000
        _ = clock.nextPresentationTime(payloadSamples: 1, nowNs: now)
        let second = clock.nextPresentationTime(payloadSamples: 576, nowNs: now)
        let third = clock.nextPresentationTime(payloadSamples: 1, nowNs: now)
        #expect(second == LiveStreamClock.presentationTime(startAtMs: t0 + 2_000, samples: 1, sampleRate: 24_000))
        #expect(second == (t0 + 2_000) * 1_000_000 + 41_666)
        #expect(third == (t0 + 2_000) * 1_000_000 + 577 * 1_000_000_000 / 24_000)
    }

    @Test func aStalledSourceSkipsTheTimeLineAheadByTheGap() {
        var clock = LiveStreamClock(sampleRate: 24_000, delayMs: 2_000)
        clock.start(firstAudioAtMs: t0)
        _ = clock.nextPresentationTime(payloadSamples: 5_760, nowNs: t0 * 1_000_000)
        // The next payload should sound at t0+2240 ms but arrives at t0+5000 ms: already late.
        let late = clock.nextPresentationTime(payloadSamples: 5_760, nowNs: (t0 + 5_000) * 1_000_000)
        #expect(late == (t0 + 7_000) * 1_000_000)
        #expect(clock.reanchors == 1)
        // The following one continues from there.
        let next = clock.nextPresentationTime(payloadSamples: 5_760, nowNs: (t0 + 5_240) * 1_000_000)
        #expect(next == (t0 + 7_240) * 1_000_000)
        #expect(clock.reanchors == 1)
    }

    @Test func aSmallDelayInArrivalIsAbsorbedByTheBuffer() {
        var clock = LiveStreamClock(sampleRate: 24_000, delayMs: 2_000)
        clock.start(firstAudioAtMs: t0)
        _ = clock.nextPresentationTime(payloadSamples: 5_760, nowNs: t0 * 1_000_000)
        // 1 s late: still 1.24 s of buffer left (over a quarter of the delay), no skip.
        let pts = clock.nextPresentationTime(payloadSamples: 5_760, nowNs: (t0 + 1_240) * 1_000_000)
        #expect(pts == (t0 + 2_240) * 1_000_000)
        #expect(clock.reanchors == 0)
    }

    @Test func aSourceAheadOfRealTimeIsHeldBack() {
        var clock = LiveStreamClock(sampleRate: 24_000, delayMs: 2_000, leadMs: 1_000)
        clock.start(firstAudioAtMs: t0)
        let now = t0 * 1_000_000
        var pts: Int64 = 0
        for _ in 0..<50 { pts = clock.nextPresentationTime(payloadSamples: 5_760, nowNs: now) }
        // The 50th payload sounds 2 s + 49 × 240 ms after now; it may go 3 s before it sounds.
        #expect(pts == (t0 + 2_000 + 49 * 240) * 1_000_000)
        #expect(clock.holdUntil(presentationTime: pts) == (t0 + 49 * 240 - 1_000) * 1_000_000)
    }
}

@Suite struct LivePacketizerTests {
    /// A shorter live delay gets shorter payloads: a payload leaves only when full.
    @Test func payloadsAreSizedToTheDelay() {
        #expect([200, 300, 500, 1_000, 2_000, 10_000].map(LiveSettings.payloadMs(forDelay:)) == [40, 60, 100, 200, 240, 240])
        var configuration = ControllerConfiguration()
        configuration.live.delayMs = 300
        #expect(LiveSettings(configuration).payloadMs == 60)
        #expect(LiveSettings(ControllerConfiguration()).payloadMs == 240)
    }

    @Test func groupsFramesIntoAbout240MillisecondsWithConsecutiveSequences() {
        var packetizer = LivePacketizer(sampleRate: 24_000, payloadMs: 240)
        #expect(packetizer.targetSamples == 5_760)
        var payloads: [LivePacketizer.Payload] = []
        for i in 0..<25 {
            if let p = packetizer.add(frame: [UInt8(i), 0xAA], samples: 576) { payloads.append(p) }
        }
        if let last = packetizer.flush() { payloads.append(last) }
        #expect(payloads.map(\.sequence) == [0, 1, 2])
        #expect(payloads.map(\.frameCount) == [10, 10, 5])
        #expect(payloads.map(\.samples) == [5_760, 5_760, 2_880])
        // Frames stay whole and in order.
        #expect(payloads[0].mp3 == (0..<10).flatMap { [UInt8($0), 0xAA] })
        #expect(payloads[2].mp3 == (20..<25).flatMap { [UInt8($0), 0xAA] })
        #expect(packetizer.flush() == nil)
    }

    @Test func mpeg1FramesMakeShorterGroups() {
        // 1152-sample frames at 48 kHz: 240 ms = 11520 samples = exactly 10 frames.
        var packetizer = LivePacketizer(sampleRate: 48_000, payloadMs: 240)
        var counts: [Int] = []
        for _ in 0..<21 { if let p = packetizer.add(frame: [1], samples: 1_152) { counts.append(p.frameCount) } }
        #expect(counts == [10, 10])
        #expect(packetizer.flush()?.frameCount == 1)
        #expect(packetizer.nextSequence == 3)
    }
}
