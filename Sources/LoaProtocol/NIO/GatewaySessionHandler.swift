import Logging
import NIOCore

/// Runs `GatewaySessionStateMachine` on a channel: says hello on connect, answers the
/// challenge, checks the controller's proof, then sends heartbeats and clock requests on
/// timers. Passes `SessionEvent`s up; accepts `Message`s from the daemon's handler above it
/// (refusing, with `ProtocolError.unexpectedMessage`, any the current state does not allow).
public final class GatewaySessionHandler: ChannelDuplexHandler {
    public typealias InboundIn = Frame
    public typealias InboundOut = SessionEvent
    public typealias OutboundIn = Message
    public typealias OutboundOut = Frame

    /// Timers and identity of the gateway end.
    public struct Configuration: Sendable {
        public var session: GatewaySessionStateMachine.Configuration
        public var handshakeTimeout: TimeAmount
        /// Time between clock-sync rounds; nil disables clock sync.
        public var clockSyncInterval: TimeAmount?
        /// Requests per clock-sync round, 1 s apart.
        public var clockSyncBurst: Int
        /// While `clockSyncDemand` says timed audio plays or is near, one request this often
        /// (nil: rounds only), so the clock discipline has fresh exchanges when they matter and
        /// an idle gateway keeps its byte budget.
        public var clockSyncBusyInterval: TimeAmount?
        /// Asked on the event loop at each busy tick; must be cheap and thread-safe.
        public var clockSyncDemand: @Sendable () -> Bool
        /// Outbound frames longer than this are refused locally (the peer would refuse them).
        public var maxFrameLength: UInt32

        public init(session: GatewaySessionStateMachine.Configuration, handshakeTimeout: TimeAmount = .seconds(15),
                    clockSyncInterval: TimeAmount? = .minutes(30), clockSyncBurst: Int = 3,
                    clockSyncBusyInterval: TimeAmount? = nil, clockSyncDemand: @escaping @Sendable () -> Bool = { false },
                    maxFrameLength: UInt32 = Frame.defaultMaxLength) {
            self.clockSyncBusyInterval = clockSyncBusyInterval
            self.clockSyncDemand = clockSyncDemand
            self.session = session
            self.maxFrameLength = maxFrameLength
            self.handshakeTimeout = handshakeTimeout
            self.clockSyncInterval = clockSyncInterval
            self.clockSyncBurst = clockSyncBurst
        }
    }

    private var machine: GatewaySessionStateMachine
    private let configuration: Configuration
    private let clock: WallClock
    private let makeNonce: @Sendable () -> [UInt8]
    private var logger: Logger
    /// At most one pending task per name, so a long session does not accumulate them.
    private var timers: [String: Scheduled<Void>] = [:]
    /// Set by every write, cleared by the heartbeat tick: a heartbeat goes out only after an
    /// interval with nothing else sent.
    private var wroteSinceTick = false

    public init(configuration: Configuration, clock: WallClock = .system, logger: Logger,
                makeNonce: @escaping @Sendable () -> [UInt8] = HandshakeProof.makeNonce) {
        self.configuration = configuration
        self.machine = GatewaySessionStateMachine(configuration: configuration.session)
        self.clock = clock
        self.makeNonce = makeNonce
        self.logger = logger
        self.logger[metadataKey: "gateway.id"] = "\(configuration.session.gatewayID)"
    }

    public var state: GatewaySessionStateMachine.State { machine.state }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        perform(machine.received(unwrapInboundIn(data), now: clock.now()), context: context)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        guard case .send(let allowed) = machine.send(message) else {
            promise?.fail(ProtocolError.unexpectedMessage(type: message.frameType.name, state: machine.state.phase.rawValue))
            return
        }
        let frame = MessageCodec.encode(allowed)
        guard frame.payload.count < Int(configuration.maxFrameLength) else {
            let length = UInt32(clamping: frame.payload.count + 1)
            promise?.fail(ProtocolError.frameTooLarge(length: length, limit: configuration.maxFrameLength))
            return
        }
        wroteSinceTick = true
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? ProtocolError {
            perform(machine.failed(error), context: context)
        } else {
            logger.warning("connection error", metadata: ["error": "\(error)"])
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        machine.closed()
        stopTimers()
        context.fireChannelInactive()
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        _ = machine.closeRequested()
        context.close(mode: mode, promise: promise)
    }

    private func start(context: ChannelHandlerContext) {
        guard case .connecting = machine.state else { return }
        let seconds = configuration.handshakeTimeout.nanoseconds / 1_000_000_000
        timers["handshake"] = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.handshakeTimeout) { [self] in
            perform(machine.handshakeTimedOut(afterSeconds: seconds), context: context)
        }
        perform(machine.connected(nonce: makeNonce()), context: context)
    }

    private func perform(_ action: SessionAction, context: ChannelHandlerContext) {
        switch action {
        case .none, .verifyHello, .rejectProof:
            break
        case .send(let message):
            wroteSinceTick = true
            context.writeAndFlush(wrapOutboundOut(MessageCodec.encode(message)), promise: nil)
        case .deliver(let message):
            context.fireChannelRead(wrapInboundOut(.message(message)))
        case .deliverClockSample(let sample):
            context.fireChannelRead(wrapInboundOut(.clockSample(sample)))
        case .sessionReady(let id, let version, let heartbeat, _):
            stopTimers()
            wroteSinceTick = false
            logger.info("session ready", metadata: ["protocol.version": "\(version)"])
            startReadyTimers(context: context, heartbeatSeconds: heartbeat)
            context.fireChannelRead(wrapInboundOut(.ready(gatewayID: id, version: version, heartbeatSeconds: heartbeat)))
        case .closeWithError(let error, let notifyPeer):
            SessionCloser.close(context: context, error: error, notifyPeer: notifyPeer, logger: logger,
                                frame: { self.wrapOutboundOut($0) })
        case .close:
            context.close(promise: nil)
        }
    }

    private func startReadyTimers(context: ChannelHandlerContext, heartbeatSeconds: UInt32) {
        let interval = TimeAmount.seconds(Int64(max(1, heartbeatSeconds)))
        every("heartbeat", interval, context: context) { [self] in
            // Any frame keeps the link alive; send a heartbeat only when nothing else went out.
            if !wroteSinceTick { perform(machine.send(.heartbeat), context: context) }
            wroteSinceTick = false
        }
        if let busy = configuration.clockSyncBusyInterval {
            every("clock.busy", busy, context: context) { [self] in
                if configuration.clockSyncDemand() { perform(machine.send(.clockRequest(ClockRequest(t1: clock.now()))), context: context) }
            }
        }
        guard let syncInterval = configuration.clockSyncInterval else { return }
        let round = { [self] in
            for i in 0..<max(1, configuration.clockSyncBurst) {
                timers["clock.\(i)"] = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(i))) { [self] in
                    perform(machine.send(.clockRequest(ClockRequest(t1: clock.now()))), context: context)
                }
            }
        }
        round()
        every("clock", syncInterval, context: context, round)
    }

    /// Runs `body` every `interval` on the channel's event loop until the timers stop.
    private func every(_ name: String, _ interval: TimeAmount, context: ChannelHandlerContext, _ body: @escaping () -> Void) {
        timers[name] = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            body()
            if machine.state.phase == .ready { every(name, interval, context: context, body) }
        }
    }

    private func stopTimers() {
        timers.values.forEach { $0.cancel() }
        timers = [:]
    }
}
