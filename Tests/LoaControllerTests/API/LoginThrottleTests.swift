import Foundation
import Testing
@testable import LoaController

struct LoginThrottleTests {
    let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func fiveFailuresLockTheKeyUntilTheOldestLeavesTheWindow() {
        var throttle = LoginThrottle()
        let key = LoginThrottle.key(username: "admin", address: "10.0.0.5")
        for i in 0..<4 {
            throttle.recordFailure(key, now: t0.addingTimeInterval(Double(i) * 10))
            #expect(throttle.retryAfter(key, now: t0.addingTimeInterval(Double(i) * 10)) == nil)
        }
        throttle.recordFailure(key, now: t0.addingTimeInterval(40))
        #expect(throttle.retryAfter(key, now: t0.addingTimeInterval(40)) == 260)
        #expect(throttle.retryAfter(key, now: t0.addingTimeInterval(299.5)) == 1)
        // The first failure left the window: four remain, so it may try again.
        #expect(throttle.retryAfter(key, now: t0.addingTimeInterval(300)) == nil)
    }

    @Test func keysAreSeparateByUserAndAddressAndSuccessClears() {
        var throttle = LoginThrottle(maxFailures: 2, window: 60)
        let a = LoginThrottle.key(username: "admin", address: "10.0.0.5")
        let b = LoginThrottle.key(username: "admin", address: "10.0.0.6")
        let c = LoginThrottle.key(username: "op", address: "10.0.0.5")
        throttle.recordFailure(a, now: t0)
        throttle.recordFailure(a, now: t0)
        #expect(throttle.retryAfter(a, now: t0) == 60)
        #expect(throttle.retryAfter(b, now: t0) == nil)
        #expect(throttle.retryAfter(c, now: t0) == nil)
        #expect(LoginThrottle.key(username: "ADMIN", address: "10.0.0.5") == a, "usernames are compared case-insensitively")
        throttle.recordSuccess(a)
        #expect(throttle.retryAfter(a, now: t0) == nil)
    }

    @Test func tokensAreRandomAndOnlyTheirHashIsKept() {
        let a = LoginToken.random(), b = LoginToken.random()
        #expect(a != b)
        #expect(a.value.count == 43)
        #expect(a.value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(a.sha256.count == 64 && a.sha256 != b.sha256)
        #expect(LoginToken(value: a.value).sha256 == a.sha256)
        #expect(!"\(a)".contains(a.value), "a token does not leak into logs")
    }
}

/// Tokens and source keys are typed on command lines: none may begin with `-`.
@Suite struct LoginTokenShapeTests {
    @Test func aTokenIsFortyThreeBase64URLCharactersAndNeverBeginsWithADash() {
        // With one in 64 starting with `-` before the fix, 10 000 draws held ~156 of them.
        let tokens = (0..<10_000).map { _ in LoginToken.random().value }
        #expect(tokens.allSatisfy { !$0.hasPrefix("-") })
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        #expect(Set(tokens).count == tokens.count)
    }
}
