import Testing
@testable import LoaProtocol

@Suite struct AuthenticationTests {
    let secrets = StaticGatewaySecrets(["xa-tan-lap-01": Samples.secret])

    @Test func throttleDoublesTheDelayAndSaysUntilWhen() {
        var throttle = AuthThrottle()
        #expect(throttle.check("k", now: 0) == .allowed)
        let r1 = throttle.recordFailure("k", now: 0)
        #expect(r1 == (1, 2_000))
        #expect(throttle.check("k", now: 1_000) == .refused(until: 2_000, failures: 1))
        #expect(throttle.check("k", now: 2_000) == .allowed)
        let r2 = throttle.recordFailure("k", now: 2_000)
        #expect(r2 == (2, 6_000))
        let r3 = throttle.recordFailure("k", now: 6_000)
        #expect(r3 == (3, 14_000))
        #expect(throttle.delay(afterFailures: 100) == throttle.maxDelayMs)
        throttle.recordSuccess("k")
        #expect(throttle.check("k", now: 6_001) == .allowed)
    }

    @Test func replayCacheRefusesASeenNonceWithinTheWindowOnly() {
        var cache = NonceReplayCache(windowMs: 1_000, capacity: 2)
        let r4 = cache.insert(gatewayID: "a", nonce: [1], now: 0)
        #expect(r4)
        let r5 = cache.insert(gatewayID: "a", nonce: [1], now: 500)
        #expect(!r5)
        let r6 = cache.insert(gatewayID: "b", nonce: [1], now: 500)
        #expect(r6)
        let r7 = cache.insert(gatewayID: "a", nonce: [1], now: 1_600)
        #expect(r7, "forgotten after the window")
        let r8 = cache.insert(gatewayID: "c", nonce: [2], now: 1_600)
        #expect(r8)
        #expect(cache.count <= 2)
    }

    @Test func replayedHelloIsRefused() {
        let authenticator = GatewayAuthenticator(secrets: secrets)
        #expect(authenticator.admit(Samples.hello, peer: "10.0.0.1", nowMs: 0) == .success(Samples.secret))
        #expect(authenticator.admit(Samples.hello, peer: "10.0.0.1", nowMs: 5_000) == .failure(.replayedNonce(gatewayID: "xa-tan-lap-01")))
    }

    @Test func wrongSecretIsCountedAndSlowedDown() {
        let authenticator = GatewayAuthenticator(secrets: secrets)
        var hello = Samples.hello
        var last: ProtocolError?
        var now: Int64 = 0
        for attempt in 1...3 {
            hello.nonce = HexBytes([UInt8](repeating: UInt8(attempt), count: 32))
            #expect(authenticator.admit(hello, peer: "10.0.0.1", nowMs: now) == .success(Samples.secret))
            last = authenticator.proofFailed(gatewayID: hello.gatewayId, peer: "10.0.0.1", nowMs: now)
            now += 60_000
        }
        #expect(last?.description == "gateway 'xa-tan-lap-01': wrong secret (attempt 3, next allowed in 8 s)")
        hello.nonce = HexBytes([UInt8](repeating: 9, count: 32))
        #expect(authenticator.admit(hello, peer: "10.0.0.1", nowMs: now - 60_000 + 1_000)
            == .failure(.throttled(key: "gateway 'xa-tan-lap-01'", retryAfterSeconds: 7)))
    }

    @Test func unknownGatewayLooksLikeAWrongSecretOnTheWire() {
        let authenticator = GatewayAuthenticator(secrets: secrets)
        var hello = Samples.hello
        hello.gatewayId = "nobody"
        guard case .success = authenticator.admit(hello, peer: "10.0.0.2", nowMs: 0) else {
            Issue.record("an unknown id is challenged (with a decoy key) like a known one")
            return
        }
        let unknown = authenticator.proofFailed(gatewayID: "nobody", peer: "10.0.0.2", nowMs: 0)
        let wrong = authenticator.proofFailed(gatewayID: "xa-tan-lap-01", peer: "10.0.0.2", nowMs: 0)
        #expect(unknown == .unknownGateway(gatewayID: "nobody", attempt: 1, retryAfterSeconds: 2))
        #expect(ErrorMessage(unknown) == ErrorMessage(wrong))
        #expect(ErrorMessage(unknown).message == "authentication failed")
    }

    @Test func proofsDependOnEveryTranscriptField() {
        let base = HandshakeProof(hello: Samples.hello, challenge: Samples.challenge).gatewayProof(secret: Samples.secret)
        var downgraded = Samples.hello
        downgraded.maxVersion = 2
        #expect(HandshakeProof(hello: downgraded, challenge: Samples.challenge).gatewayProof(secret: Samples.secret) != base)
        var otherNonce = Samples.challenge
        otherNonce.nonce = HexBytes(Samples.gatewayNonce)
        #expect(HandshakeProof(hello: Samples.hello, challenge: otherNonce).gatewayProof(secret: Samples.secret) != base)
        #expect(HandshakeProof(hello: Samples.hello, challenge: Samples.challenge).gatewayProof(secret: [1]) != base)
        #expect(HandshakeProof.matches(base, base) && !HandshakeProof.matches(base, Array(base.dropLast())))
    }
}

@Suite struct SecretRedactionTests {
    @Test func secretsDoNotPrint() {
        var controller = ControllerSessionStateMachine()
        _ = controller.connected()
        _ = controller.received(.hello(Samples.hello), now: 0)
        _ = controller.helloAccepted(secret: Samples.secret, nonce: Samples.controllerNonce)
        let config = GatewaySessionStateMachine.Configuration(gatewayID: "g", secret: Samples.secret)
        for text in [String(describing: controller.state), String(reflecting: controller.state), "\(config)"] {
            #expect(!text.contains("99, 111, 114"), "secret bytes in: \(text)")
            #expect(!text.contains("correct horse"))
        }
    }
}
