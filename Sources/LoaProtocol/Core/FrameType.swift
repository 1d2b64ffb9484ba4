/// The type byte of a frame. Types 0x80–0xFF are extensions a receiver may ignore when it
/// does not know them; an unknown type below 0x80 is a protocol error.
public enum FrameType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case hello = 0x01
    case challenge = 0x02
    case authenticate = 0x03
    case authenticated = 0x04
    case error = 0x0F
    case heartbeat = 0x10
    case clockRequest = 0x11
    case clockReply = 0x12
    case scheduleUpdate = 0x20
    case scheduleAck = 0x21
    case contentRequest = 0x30
    case contentChunk = 0x31
    case contentEnd = 0x32
    case announce = 0x40
    case stop = 0x41
    case liveStart = 0x50
    case liveAudio = 0x51
    case liveEnd = 0x52
    case healthReport = 0x60
    case playEvents = 0x61
    case playEventsAck = 0x62
    case command = 0x70
    case commandResult = 0x71

    /// Who may send a frame of this type.
    public enum Direction: Sendable {
        case gatewayToController, controllerToGateway, both
    }

    public var direction: Direction {
        switch self {
        case .hello, .authenticate, .clockRequest, .scheduleAck, .contentRequest,
             .healthReport, .playEvents, .commandResult:
            .gatewayToController
        case .challenge, .authenticated, .clockReply, .scheduleUpdate, .contentChunk, .contentEnd,
             .announce, .stop, .liveStart, .liveAudio, .liveEnd, .playEventsAck, .command:
            .controllerToGateway
        case .error, .heartbeat:
            .both
        }
    }

    /// Whether this type belongs to the handshake (allowed only while authenticating).
    public var isHandshake: Bool {
        switch self {
        case .hello, .challenge, .authenticate, .authenticated: true
        default: false
        }
    }

    /// Whether a receiver that does not know this type byte may skip the frame.
    public static func isIgnorableExtension(_ raw: UInt8) -> Bool { raw >= 0x80 }

    public var description: String { "\(name)" }

    /// The name used in the protocol document and in errors.
    public var name: String {
        switch self {
        case .hello: "hello"
        case .challenge: "challenge"
        case .authenticate: "authenticate"
        case .authenticated: "authenticated"
        case .error: "error"
        case .heartbeat: "heartbeat"
        case .clockRequest: "clockRequest"
        case .clockReply: "clockReply"
        case .scheduleUpdate: "scheduleUpdate"
        case .scheduleAck: "scheduleAck"
        case .contentRequest: "contentRequest"
        case .contentChunk: "contentChunk"
        case .contentEnd: "contentEnd"
        case .announce: "announce"
        case .stop: "stop"
        case .liveStart: "liveStart"
        case .liveAudio: "liveAudio"
        case .liveEnd: "liveEnd"
        case .healthReport: "healthReport"
        case .playEvents: "playEvents"
        case .playEventsAck: "playEventsAck"
        case .command: "command"
        case .commandResult: "commandResult"
        }
    }
}
