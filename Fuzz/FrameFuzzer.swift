// libFuzzer entry for the frame parser and message decoder (Sources/LoaProtocol/Core).
// Built by scripts/fuzz-protocol.sh with swiftc -sanitize=fuzzer,address; see docs/PROTOCOL.md.
//
// Properties checked on every input:
//  - parsing never traps, and never yields a frame longer than the limit;
//  - every frame that decodes re-encodes to a frame that decodes to the same message.

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
    return 0
}

/// NaN != NaN, so a health report carrying "nan" cannot compare equal after a round trip.
private func containsNaN(_ message: Message) -> Bool {
    guard case .healthReport(let h) = message else { return false }
    return [h.load1, h.temperatureCelsius, h.linkRttMs, h.clockOffsetMs].contains { $0?.isNaN == true }
}
