import Foundation
import Testing
@testable import LoaGateway

/// The player's and renderers' sleeps: ended by a signal from another thread, or by their
/// timeout on the monotonic clock (not the system clock, which a step can move by hours).
@Suite struct WakeupTests {
    @Test func aSignalEndsAWaitEarly() async throws {
        let wakeup = Wakeup()
        let started = ContinuousClock.now
        let signaller = Thread { Thread.sleep(forTimeInterval: 0.05); wakeup.signal() }
        signaller.start()
        #expect(wakeup.wait(seconds: 30))
        #expect(ContinuousClock.now - started < .seconds(20), "woken by the signal, not the 30 s timeout")
    }

    @Test func aSignalBeforeTheWaitIsKeptAndSignalsCoalesce() {
        let wakeup = Wakeup()
        wakeup.signal()
        wakeup.signal()
        wakeup.signal()
        #expect(wakeup.wait(seconds: 10), "a wake-up sent before the wait ends it at once")
        #expect(!wakeup.wait(seconds: 0.01), "three signals are one pending wake-up, taken by the first wait")
    }

    @Test func withoutASignalItSleepsItsTimeOnTheMonotonicClock() {
        let wakeup = Wakeup()
        let started = ContinuousClock.now
        #expect(!wakeup.wait(seconds: 0.2))
        #expect(ContinuousClock.now - started >= .milliseconds(200), "never wakes before its time")
        #expect(!wakeup.wait(seconds: 0), "a zero timeout only looks")
        #expect(!wakeup.wait(seconds: -5), "a timeout already past only looks")
    }

    @Test func manyWakeupsLeaveNoDescriptorBehind() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        for _ in 0..<200 {
            let wakeup = Wakeup()
            wakeup.signal()
            wakeup.wait(seconds: 0)
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        #expect(after - before < 20, "descriptors: \(before) before, \(after) after 200 wake-ups")
    }
}
