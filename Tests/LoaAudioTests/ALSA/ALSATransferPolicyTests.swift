import Testing
@testable import LoaAudio

/// The recover decisions, without a device: what a write/read loop does with each result.
@Suite("ALSA transfer policy")
struct ALSATransferPolicyTests {
    typealias P = ALSATransferPolicy

    @Test("results map to actions", arguments: [
        (512, P.Action.advance(frames: 512)),
        (0, .advance(frames: 0)),
        (-11, .wait),                       // -EAGAIN: buffer full / empty
        (-32, .recover(code: -32)),         // -EPIPE: underrun / overrun
        (-86, .recover(code: -86)),         // -ESTRPIPE: suspended
        (-4, .recover(code: -4)),           // -EINTR
        (-19, .fail(code: -19)),            // -ENODEV: unplugged
        (-77, .fail(code: -77)),            // -EBADFD: wrong state
    ])
    func mapping(result: Int, expected: P.Action) {
        var policy = P()
        #expect(policy.next(result: result) == expected)
    }

    @Test("underruns and suspends are counted")
    func counts() {
        var policy = P()
        _ = policy.next(result: -32)
        _ = policy.next(result: 100)
        _ = policy.next(result: -32)
        _ = policy.next(result: -86)
        #expect(policy.xruns == 2)
        #expect(policy.suspends == 1)
    }

    @Test("recoveries without progress are capped; progress resets the cap")
    func cap() {
        var policy = P(maxRecoveriesWithoutProgress: 3)
        for _ in 0..<3 { #expect(policy.next(result: -32) == .recover(code: -32)) }
        #expect(policy.next(result: -32) == .fail(code: -32))

        var recovering = P(maxRecoveriesWithoutProgress: 3)
        for _ in 0..<10 {
            #expect(recovering.next(result: -32) == .recover(code: -32))
            #expect(recovering.next(result: 64) == .advance(frames: 64))
        }
        #expect(recovering.xruns == 10)
    }

    @Test("waiting does not count as a recovery")
    func waitingIsFree() {
        var policy = P(maxRecoveriesWithoutProgress: 1)
        for _ in 0..<100 { #expect(policy.next(result: -11) == .wait) }
        #expect(policy.next(result: -32) == .recover(code: -32))
    }
}
