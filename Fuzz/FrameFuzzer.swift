// libFuzzer entry for the frame parser, the message codec and both session state machines
// (Sources/LoaProtocol/Core, Session, Clock and the pure handshake files).
// Built by scripts/fuzz-protocol.sh with swiftc -sanitize=fuzzer,address; see Fuzz/README.md.
//
// Properties checked on every input:
//  - parsing never traps, and never yields a frame longer than the limit;
//  - every frame that decodes re-encodes to a frame that decodes to the same message;
//  - fed the same frames, neither state machine traps, delivers anything before it is ready,
//    or stays open after deciding to close.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = FrameParser(maxFrameLength: 64 * 1024)
    guard let parsed = try? parser.parseAll(bytes) else { return 0 }
    for frame in parsed.frames {
        precondition(frame.payload.count + 1 <= 64 * 1024, "frame over the limit")
        guard let message = try? MessageCodec.decode(frame) else { continue }
        let again = MessageCodec.encode(message)
        guard let decodedAgain = try? MessageCodec.decode(again) else {
            preconditionFailure("re-encoded \(message.frameType) does not decode")
        }
        precondition(decodedAgain == message || containsNaN(message), "round trip changed \(message.frameType)")
    }
    driveController(parsed.frames)
    driveGateway(parsed.frames)
    return 0
}

private let secret: [UInt8] = Array("fuzz secret".utf8)
private let nonce = [UInt8](repeating: 0x5A, count: 32)

private func driveController(_ frames: [Frame]) {
    var machine = ControllerSessionStateMachine(configuration: .init(versions: 1...2))
    _ = machine.connected()
    for (i, frame) in frames.enumerated() {
        let wasReady = machine.state.phase == .ready
        var action = machine.received(frame, now: Int64(i))
        if case .verifyHello = action {
            action = i % 3 == 2 ? machine.rejected(.replayedNonce(gatewayID: "g")) : machine.helloAccepted(secret: secret, nonce: nonce)
        }
        if case .rejectProof(let id) = action {
            action = machine.rejected(.wrongSecret(gatewayID: id, attempt: 1, retryAfterSeconds: 2))
        }
        check(action, wasReady: wasReady, phase: machine.state.phase)
    }
}

private func driveGateway(_ frames: [Frame]) {
    var machine = GatewaySessionStateMachine(configuration: .init(gatewayID: "g", secret: secret, versions: 1...2))
    _ = machine.connected(nonce: nonce)
    for (i, frame) in frames.enumerated() {
        let wasReady = machine.state.phase == .ready
        check(machine.received(frame, now: Int64(i)), wasReady: wasReady, phase: machine.state.phase)
    }
}

private func check(_ action: SessionAction, wasReady: Bool, phase: SessionPhase) {
    switch action {
    case .deliver(let message):
        if case .error = message { return }
        precondition(wasReady, "delivered \(message.frameType) before the session was ready")
    case .deliverClockSample:
        precondition(wasReady, "clock sample before the session was ready")
    case .sessionReady:
        precondition(phase == .ready, "sessionReady but phase \(phase)")
    case .closeWithError, .close:
        precondition(phase == .closing || phase == .closed, "closing action but phase \(phase)")
    case .none, .send, .verifyHello, .rejectProof:
        break
    }
}

/// NaN != NaN, so a health report carrying "nan" cannot compare equal after a round trip.
private func containsNaN(_ message: Message) -> Bool {
    guard case .healthReport(let h) = message else { return false }
    return [h.load1, h.temperatureCelsius, h.linkRttMs, h.clockOffsetMs].contains { $0?.isNaN == true }
}
