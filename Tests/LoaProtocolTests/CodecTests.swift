import Testing
@testable import LoaProtocol

@Suite struct CodecTests {
    @Test(arguments: Samples.all.map(\.name))
    func roundTrip(name: String) throws {
        let message = try #require(Samples.all.first { $0.name == name }?.message)
        let bytes = MessageCodec.encode(message).serialized()
        let parsed = try FrameParser().parseAll(bytes)
        #expect(parsed.frames.count == 1 && parsed.leftover == 0)
        #expect(try MessageCodec.decode(parsed.frames[0]) == message)
    }

    /// `positionMs` is optional on the wire: it round-trips when set, is absent from the JSON
    /// when not (so an event without it is the bytes it always was), and an event from a gateway
    /// that predates it decodes with none.
    @Test func aPlayEventsTypedPositionIsOptional() throws {
        let typed = Message.playEvents(PlayEventBatch(events: [
            PlayEvent(id: "ev-1", itemId: "sang@1800000000#0", kind: .interrupted, at: 1, detail: "atMs=45000 by=khan-cap",
                      positionMs: 45_000)]))
        #expect(try MessageCodec.decode(MessageCodec.encode(typed)) == typed)
        let plain = PlayEvent(id: "ev-1", itemId: "x", kind: .started, at: 1)
        let bytes = MessageCodec.encode(.playEvents(PlayEventBatch(events: [plain]))).payload
        #expect(!String(decoding: bytes, as: UTF8.self).contains("positionMs"))
        let old = Frame(.playEvents, payload: Array(#"{"events":[{"at":5,"detail":"atMs=7","id":"e","itemId":"x","kind":"finished"}]}"#.utf8))
        guard case .playEvents(let batch) = try MessageCodec.decode(old) else { Issue.record("not playEvents"); return }
        #expect(batch.events.first?.positionMs == nil && batch.events.first?.detail == "atMs=7")
    }

    /// The typed cause and `by` are optional too: they round-trip, every cause is its raw value
    /// on the wire, and an old event decodes with neither. An unknown cause from a newer gateway
    /// is a decoding error of the batch, like an unknown kind.
    @Test func aPlayEventsTypedCauseIsOptional() throws {
        let typed = Message.playEvents(PlayEventBatch(events: PlayEventCause.allCases.enumerated().map { index, cause in
            PlayEvent(id: "ev-\(index)", itemId: "x", kind: .interrupted, at: 1, cause: cause, by: cause == .preempted ? "khan-cap" : nil)
        }))
        #expect(try MessageCodec.decode(MessageCodec.encode(typed)) == typed)
        let text = String(decoding: MessageCodec.encode(typed).payload, as: UTF8.self)
        #expect(text.contains(#""cause":"gatewayRestart""#) && text.contains(#""by":"khan-cap""#))
        let old = Frame(.playEvents, payload: Array(#"{"events":[{"at":5,"detail":"missed","id":"e","itemId":"x","kind":"dropped"}]}"#.utf8))
        guard case .playEvents(let batch) = try MessageCodec.decode(old) else { Issue.record("not playEvents"); return }
        #expect(batch.events.first?.cause == nil && batch.events.first?.by == nil)
    }

    @Test func fullHealthReportAndEveryCommandRoundTrip() throws {
        let health = Message.healthReport(IdleCost.typicalHealth)
        #expect(try MessageCodec.decode(MessageCodec.encode(health)) == health)
        let actions: [CommandAction] = [.setVolume(percent: 55), .testTone(frequencyHz: 1000, durationMs: 5000),
                                        .restart, .sendLogs(lines: 200)]
        for action in actions {
            let message = Message.command(Command(id: "c", action: action))
            #expect(try MessageCodec.decode(MessageCodec.encode(message)) == message)
        }
        for busy in BusyPolicy.allCases {
            for interrupt in InterruptPolicy.allCases {
                let message = Message.liveStart(LiveStart(streamId: 1, priority: 255, startAt: 0, sampleRate: 24000,
                                                          channels: 1, bitrateKbps: 48, onBusy: busy, onInterrupt: interrupt))
                #expect(try MessageCodec.decode(MessageCodec.encode(message)) == message)
            }
        }
    }

    /// Versioning rule: a newer peer may add optional JSON fields without a version bump.
    @Test func unknownJSONKeysAreIgnored() throws {
        let json = #"{"gatewayId":"g","minVersion":1,"maxVersion":2,"nonce":"00ff","futureField":{"x":[1,2]}}"#
        let message = try MessageCodec.decode(Frame(.hello, payload: Array(json.utf8)))
        #expect(message == .hello(Hello(gatewayId: "g", minVersion: 1, maxVersion: 2, nonce: HexBytes([0x00, 0xFF]))))
    }

    @Test func unknownTypeIsAnError() {
        #expect(throws: ProtocolError.unknownMessageType(0x7E)) { try MessageCodec.decode(Frame(type: 0x7E)) }
    }

    @Test func invalidJSONIsAnInvalidPayload() {
        let error = #expect(throws: ProtocolError.self) {
            try MessageCodec.decode(Frame(.scheduleAck, payload: Array(#"{"version": "seven"#.utf8)))
        }
        guard case .invalidPayload(let type, _) = error else {
            Issue.record("expected invalidPayload, got \(String(describing: error))")
            return
        }
        #expect(type == "scheduleAck")
        #expect(error?.code == .invalidPayload)
    }

    @Test func shortBinaryPayloadsAreInvalidNotCrashes() {
        for type in FrameType.allCases where !MessageCodec.isJSON(type) && type != .heartbeat {
            #expect(throws: ProtocolError.self) { try MessageCodec.decode(Frame(type, payload: [1, 2, 3])) }
        }
        #expect(throws: ProtocolError.self) { try MessageCodec.decode(Frame(.heartbeat, payload: [0])) }
    }

    @Test func frameParserRefusesOversizedAndEmptyLengthsBeforeBuffering() throws {
        let parser = FrameParser(maxFrameLength: 1024)
        #expect(throws: ProtocolError.frameTooLarge(length: 0xFFFF_FFFF, limit: 1024)) {
            try parser.parseAll([0xFF, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: ProtocolError.emptyFrame) { try parser.parseAll([0, 0, 0, 0]) }
        #expect(try parser.parseAll([0, 0, 0, 2, 0x10]).leftover == 5)
    }

    @Test func errorMessagesAreActionable() {
        let error = ProtocolError.wrongSecret(gatewayID: "xa-tan-lap-01", attempt: 3, retryAfterSeconds: 8)
        #expect(error.description == "gateway 'xa-tan-lap-01': wrong secret (attempt 3, next allowed in 8 s)")
        #expect(error.wireMessage == "authentication failed")
        #expect(ErrorMessage(error) == ErrorMessage(code: 10, message: "authentication failed", retryAfterSeconds: 8))
        #expect(ErrorCode.allCases.filter(\.isFatal).allSatisfy { $0.rawValue < 100 })
    }

    @Test func versionNegotiationPicksTheHighestCommonVersion() {
        #expect(ProtocolVersion.negotiate(offered: 1...1, supported: 1...2) == 1)
        #expect(ProtocolVersion.negotiate(offered: 1...3, supported: 1...2) == 2)
        #expect(ProtocolVersion.negotiate(offered: 3...4, supported: 1...2) == nil)
    }
}
