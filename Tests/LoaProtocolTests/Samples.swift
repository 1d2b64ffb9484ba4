@testable import LoaProtocol

/// One sample of every message, named as in the golden blocks of docs/PROTOCOL.md.
/// The handshake samples are the worked example: secret "correct horse battery staple",
/// gateway nonce 00 01 … 1f, controller nonce 20 21 … 3f.
enum Samples {
    static let secret = Array("correct horse battery staple".utf8)
    static let gatewayNonce = (0..<32).map { UInt8($0) }
    static let controllerNonce = (32..<64).map { UInt8($0) }
    static let hash = ContentHash(hex: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")!
    static let gatewayMAC = "f096d4c36b4c26ca30cbbc87ce63869c3cf0d7202ae072eba1f79e4d207e54ae"
    static let controllerMAC = "7a0e4f174a33957f84d2c45464e8dd8217795c57f3e005eff2f36b5b2511eb52"

    static let hello = Hello(gatewayId: "xa-tan-lap-01", minVersion: 1, maxVersion: 1, nonce: HexBytes(gatewayNonce))
    static let challenge = Challenge(version: 1, nonce: HexBytes(controllerNonce))

    static let all: [(name: String, message: Message)] = [
        ("hello", .hello(hello)),
        ("challenge", .challenge(challenge)),
        ("authenticate", .authenticate(Authenticate(mac: HexBytes(Hex.decode(gatewayMAC) ?? [])))),
        ("authenticated", .authenticated(Authenticated(mac: HexBytes(Hex.decode(controllerMAC) ?? []), heartbeatSeconds: 120))),
        ("error", .error(ErrorMessage(code: 10, message: "authentication failed", retryAfterSeconds: 8))),
        ("heartbeat", .heartbeat),
        ("clockRequest", .clockRequest(ClockRequest(t1: 1_767_225_600_000_000_000))),
        ("clockReply", .clockReply(ClockReply(t1: 1_767_225_600_000_000_000, t2: 1_767_225_600_020_000_000, t3: 1_767_225_600_020_500_000))),
        ("scheduleUpdate", .scheduleUpdate(ScheduleUpdate(version: 7, document: Array(#"{"entries":[]}"#.utf8)))),
        ("scheduleAck", .scheduleAck(ScheduleAck(version: 7))),
        ("contentRequest", .contentRequest(ContentRequest(sha256: hash, offset: 65536))),
        ("contentChunk", .contentChunk(ContentChunk(sha256: hash, offset: 0, bytes: Array("test".utf8)))),
        ("contentEnd", .contentEnd(ContentEnd(sha256: hash, size: 4))),
        ("announce", .announce(Announcement(itemId: "bulletin-42", sha256: hash, priority: 150,
                                            startAt: 1_767_225_600_000, expiresAt: 1_767_229_200_000,
                                            onBusy: .preempt, onInterrupt: .resume))),
        ("stop", .stop(Stop(itemId: "bulletin-42"))),
        ("liveStart", .liveStart(LiveStart(streamId: 3, priority: 200, startAt: 1_767_225_600_000, sampleRate: 24000,
                                           channels: 1, bitrateKbps: 48, onBusy: .preempt, onInterrupt: .drop))),
        ("liveAudio", .liveAudio(LiveAudio(streamId: 3, sequence: 1, presentationTime: 1_767_225_600_500_000_000,
                                           mp3: [0xFF, 0xF3, 0x64, 0xC4]))),
        ("liveEnd", .liveEnd(LiveEnd(streamId: 3, reason: "studio ended"))),
        ("healthReport", .healthReport(HealthReport(uptimeSeconds: 86400, amplifierOn: false, volumePercent: 80))),
        ("playEvents", .playEvents(PlayEventBatch(events: [PlayEvent(id: "ev-1", itemId: "bulletin-42", kind: .finished,
                                                                      at: 1_767_225_660_000)]))),
        ("playEventsAck", .playEventsAck(PlayEventAck(ids: ["ev-1"]))),
        ("command", .command(Command(id: "cmd-9", action: .setVolume(percent: 70)))),
        ("commandResult", .commandResult(CommandResult(id: "cmd-9", ok: true))),
    ]
}
