import Foundation
import LoaProtocol
import LoaSchedule
import NIOCore
import NIOPosix

/// The gateway end, built from LoaProtocol's client side: acks schedules, fetches the first
/// entry's content and checks its hash, then reports as-played events. Everything it sees goes
/// to an `EventLog`.
final class FakeGatewayHandler: ChannelInboundHandler {
    typealias InboundIn = SessionEvent
    typealias OutboundOut = Message

    let log: EventLog
    let events: [LoaProtocol.PlayEvent]
    private var receiver: ContentReceiver?
    private var fetched: Set<String> = []

    init(log: EventLog, events: [LoaProtocol.PlayEvent]) {
        self.log = log
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .ready:
            log.append("ready")
        case .message(.scheduleUpdate(let update)):
            let schedule = try? GatewaySchedule.decode(json: Data(update.document))
            log.append("schedule v\(update.version) entries \(schedule?.entries.count ?? -1)")
            context.write(wrapOutboundOut(.scheduleAck(ScheduleAck(version: update.version))), promise: nil)
            if receiver == nil, let sha = schedule?.entries.first?.content.sha256, !fetched.contains(sha),
               let hash = ContentHash(hex: sha) {
                let receiver = ContentReceiver(expected: hash)
                self.receiver = receiver
                context.write(wrapOutboundOut(.contentRequest(receiver.request)), promise: nil)
            }
            context.flush()
        case .message(.contentChunk(let chunk)):
            guard let _ = receiver else {
                log.append("chunk \(chunk.offset) \(chunk.bytes.count)")
                return
            }
            do { try receiver?.receive(chunk) } catch { log.append("chunk refused: \(error)") }
        case .message(.contentEnd(let end)):
            guard receiver != nil else {
                log.append("end \(end.size)")
                return
            }
            do {
                try receiver?.finish(end)
                log.append("content verified \(end.sha256) \(end.size)")
                fetched.insert(end.sha256.description)
            } catch {
                log.append("content failed: \(error)")
            }
            receiver = nil
            sendEvents(context: context)
        case .message(.playEventsAck(let ack)):
            log.append("acked \(ack.ids.joined(separator: ","))")
        case .message(.command(let command)):
            log.append("command \(command.action)")
            context.writeAndFlush(wrapOutboundOut(.commandResult(CommandResult(id: command.id, ok: true))), promise: nil)
        case .message(.announce(let announcement)):
            log.append("announce \(announcement.itemId)")
        case .message(.stop(let stop)):
            log.append("got stop \(stop.itemId)")
        case .message(.error(let error)):
            log.append("error \(error.code)")
        case .message(let other):
            log.append("got \(other.frameType)")
        case .clockSample:
            break
        }
    }

    func sendEvents(context: ChannelHandlerContext) {
        guard !events.isEmpty else { return }
        context.writeAndFlush(wrapOutboundOut(.playEvents(PlayEventBatch(events: events))), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        log.append("closed: \(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        log.append("inactive")
        context.fireChannelInactive()
    }
}

enum FakeGateway {
    /// Connects a fake gateway to `port` on 127.0.0.1.
    static func connect(port: Int, gatewayID: String, secret: [UInt8], log: EventLog, events: [LoaProtocol.PlayEvent] = [],
                        group: any EventLoopGroup) async throws -> any Channel {
        let configuration = GatewaySessionHandler.Configuration(
            session: .init(gatewayID: gatewayID, secret: secret), clockSyncInterval: nil)
        return try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try ops.addLoaGatewayHandlers(configuration: configuration, logger: TestLog.quiet)
                    try ops.addHandler(FakeGatewayHandler(log: log, events: events))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }
}
