import LoaProtocol
import Testing

/// The liveness rule (issue 14): silence counts from the last frame read, and a check a busy
/// event loop ran late judges nothing.
struct SilenceRuleTests {
    private let s: UInt64 = 1_000_000_000
    private var rule: SilenceRule { SilenceRule(windowNs: 30 * s, starvedAfterNs: 1 * s) }

    @Test func onTimeCheckAfterAWholeWindowOfNothingIsSilence() {
        #expect(rule.judge(lastHeard: 0, due: 30 * s, now: 30 * s) == .silent)
        #expect(rule.judge(lastHeard: 0, due: 30 * s, now: 30 * s + s / 2) == .silent, "half a second late is on time")
    }

    @Test func aFrameReadSinceMovesTheCheckToAWindowAfterIt() {
        #expect(rule.judge(lastHeard: 29 * s, due: 30 * s, now: 30 * s) == .checkAt(59 * s))
        #expect(rule.judge(lastHeard: 59 * s, due: 59 * s, now: 59 * s) == .checkAt(89 * s))
    }

    @Test func aLateCheckOnAStarvedLoopJudgesNothing() {
        // Due at 30 s, run at 95 s (the issue's 65 s): the gateway's frames may be unread in
        // the socket. Look again a second later, when the loop has caught up.
        #expect(rule.judge(lastHeard: 0, due: 30 * s, now: 95 * s) == .checkAt(96 * s))
        // Caught up: the frames that were waiting were read (at 95.5 s) before the check ran.
        #expect(rule.judge(lastHeard: 95 * s + s / 2, due: 96 * s, now: 96 * s) == .checkAt(125 * s + s / 2))
        // Caught up and still nothing: now it is silence.
        #expect(rule.judge(lastHeard: 0, due: 96 * s, now: 96 * s) == .silent)
    }

    @Test func aLateCheckStillSeesAFrameReadInTime() {
        #expect(rule.judge(lastHeard: 50 * s, due: 30 * s, now: 60 * s) == .checkAt(80 * s))
    }

    @Test func aSessionThatKeepsSendingIsNeverSilentHoweverLateTheLoop() {
        // A gateway sends every 10 s; the loop's lag (the same for its reads and its timers)
        // rises from 0 to 65 s and falls back, in steps of 0.5 s per check.
        var due = 30 * s
        for step in 0..<400 {
            let lag = UInt64(min(step, 260 - min(step, 260), 130)) * s / 2
            let now = due + lag
            let lastHeard = due / (10 * s) * (10 * s) + lag
            switch rule.judge(lastHeard: lastHeard, due: due, now: now) {
            case .silent: Issue.record("closed at \(now / s) s, its last frame read at \(lastHeard / s) s"); return
            case .checkAt(let next): due = next
            }
        }
    }
}
