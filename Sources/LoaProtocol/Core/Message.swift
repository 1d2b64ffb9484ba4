/// Every message of protocol version 1, one case per frame type.
public enum Message: Equatable, Sendable {
    case hello(Hello)
    case challenge(Challenge)
    case authenticate(Authenticate)
    case authenticated(Authenticated)
    case error(ErrorMessage)
    case heartbeat
    case clockRequest(ClockRequest)
    case clockReply(ClockReply)
    case scheduleUpdate(ScheduleUpdate)
    case scheduleAck(ScheduleAck)
    case contentRequest(ContentRequest)
    case contentChunk(ContentChunk)
    case contentEnd(ContentEnd)
    case announce(Announcement)
    case stop(Stop)
    case liveStart(LiveStart)
    case liveAudio(LiveAudio)
    case liveEnd(LiveEnd)
    case healthReport(HealthReport)
    case playEvents(PlayEventBatch)
    case playEventsAck(PlayEventAck)
    case command(Command)
    case commandResult(CommandResult)

    public var frameType: FrameType {
        switch self {
        case .hello: .hello
        case .challenge: .challenge
        case .authenticate: .authenticate
        case .authenticated: .authenticated
        case .error: .error
        case .heartbeat: .heartbeat
        case .clockRequest: .clockRequest
        case .clockReply: .clockReply
        case .scheduleUpdate: .scheduleUpdate
        case .scheduleAck: .scheduleAck
        case .contentRequest: .contentRequest
        case .contentChunk: .contentChunk
        case .contentEnd: .contentEnd
        case .announce: .announce
        case .stop: .stop
        case .liveStart: .liveStart
        case .liveAudio: .liveAudio
        case .liveEnd: .liveEnd
        case .healthReport: .healthReport
        case .playEvents: .playEvents
        case .playEventsAck: .playEventsAck
        case .command: .command
        case .commandResult: .commandResult
        }
    }
}
