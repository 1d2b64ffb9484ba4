import Logging
import NIOCore

/// Runs `ControllerSessionStateMachine` on an accepted gateway connection: vets the hello
/// with the shared `GatewayAuthenticator`, challenges, checks the proof, proves itself,
/// answers clock requests, and closes a session silent for `idleTimeout` (by `SilenceRule`:
/// from the time its last frame was read, never on a check a busy loop ran late). Passes
/// `SessionEvent`s up; accepts `Message`s from the daemon's handler above it.
public final class ControllerSessionHandler: ChannelDuplexHandler {
    public typealias InboundIn = Frame
    public typealias InboundOut = SessionEvent
    public typealias OutboundIn = Message
    public typealias OutboundOut = Frame

    /// Timers of the controller end.
    public struct Configuration: Sendable {
        public var session: ControllerSessionStateMachine.Configuration
        public var handshakeTimeout: TimeAmount
        /// Close when nothing arrives for this long; default three heartbeat intervals.
        public var idleTimeout: TimeAmount
        /// An idle check that runs this late was delayed by a busy event loop and judges nothing.
        public var starvedAfter: TimeAmount
        /// Outbound frames longer than this are refused locally (the peer would refuse them).
        public var maxFrameLength: UInt32

        public init(session: ControllerSessionStateMachine.Configuration = .init(),
                    handshakeTimeout: TimeAmount = .seconds(15), idleTimeout: TimeAmount? = nil,
                    starvedAfter: TimeAmount = .seconds(1), maxFrameLength: UInt32 = Frame.defaultMaxLength) {
            self.session = session
            self.starvedAfter = starvedAfter
            self.maxFrameLength = maxFrameLength
            self.handshakeTimeout = handshakeTimeout
            self.idleTimeout = idleTimeout ?? .seconds(3 * Int64(session.heartbeatSeconds))
        }
    }

    private var machine: ControllerSessionStateMachine
    private let configuration: Configuration
    private let authenticator: GatewayAuthenticator
    private let clock: WallClock
    private let makeNonce: @Sendable () -> [UInt8]
    private var logger: Logger
    private var peer = "unknown"
    private var handshakeTimer: Scheduled<Void>?
    /// One idle check per session, moved only when it comes due (not re-armed per frame).
    private var idleTimer: Scheduled<Void>?
    /// When the last frame was read (the event loop's clock, uptime ns).
    private var lastHeard: UInt64 = 0

    public init(configuration: Configuration = .init(), authenticator: GatewayAuthenticator, clock: WallClock = .system,
                logger: Logger, makeNonce: @escaping @Sendable () -> [UInt8] = HandshakeProof.makeNonce) {
        self.configuration = configuration
        self.machine = ControllerSessionStateMachine(configuration: configuration.session)
        self.authenticator = authenticator
        self.clock = clock
        self.makeNonce = makeNonce
        self.logger = logger
    }

    public var state: ControllerSessionStateMachine.State { machine.state }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastHeard = context.eventLoop.now.uptimeNanoseconds
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

    /// With `allowRemoteHalfClosure` on the channel, EOF arrives here first (after the frame
    /// decoder has reported any cut-off frame, so its `malformedFrame` error frame has been
    /// written); nothing more will be read, so the connection closes — also one lingering
    /// after an error (`SessionCloser`).
    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent {
            _ = machine.closeRequested()
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        machine.closed()
        handshakeTimer?.cancel()
        idleTimer?.cancel()
        context.fireChannelInactive()
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        _ = machine.closeRequested()
        context.close(mode: mode, promise: promise)
    }

    private func start(context: ChannelHandlerContext) {
        guard case .connecting = machine.state else { return }
        peer = context.channel.remoteAddress?.ipAddress ?? "unknown"
        logger[metadataKey: "peer.address"] = "\(peer)"
        let seconds = configuration.handshakeTimeout.nanoseconds / 1_000_000_000
        handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.handshakeTimeout) { [self] in
            perform(machine.handshakeTimedOut(afterSeconds: seconds), context: context)
        }
        perform(machine.connected(), context: context)
    }

    private func armIdleTimer(context: ChannelHandlerContext) {
        guard machine.state.phase == .ready, idleTimer == nil else { return }
        lastHeard = context.eventLoop.now.uptimeNanoseconds
        let rule = SilenceRule(windowNs: UInt64(max(0, configuration.idleTimeout.nanoseconds)),
                               starvedAfterNs: UInt64(max(0, configuration.starvedAfter.nanoseconds)))
        checkSilence(at: NIODeadline.uptimeNanoseconds(lastHeard &+ rule.windowNs), rule: rule, context: context)
    }

    private func checkSilence(at due: NIODeadline, rule: SilenceRule, context: ChannelHandlerContext) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            guard machine.state.phase == .ready else { return }
            switch rule.judge(lastHeard: lastHeard, due: due.uptimeNanoseconds, now: context.eventLoop.now.uptimeNanoseconds) {
            case .checkAt(let next):
                checkSilence(at: .uptimeNanoseconds(next), rule: rule, context: context)
            case .silent:
                let seconds = configuration.idleTimeout.nanoseconds / 1_000_000_000
                perform(machine.idleTimedOut(afterSeconds: seconds), context: context)
            }
        }
    }

    private func perform(_ action: SessionAction, context: ChannelHandlerContext) {
        let nowMs = clock.nowMs()
        switch action {
        case .none, .deliverClockSample:
            break
        case .send(let message):
            context.writeAndFlush(wrapOutboundOut(MessageCodec.encode(message)), promise: nil)
        case .deliver(let message):
            context.fireChannelRead(wrapInboundOut(.message(message)))
        case .verifyHello(let hello):
            logger[metadataKey: "gateway.id"] = "\(hello.gatewayId)"
            switch authenticator.admit(hello, peer: peer, nowMs: nowMs) {
            case .success(let secret): perform(machine.helloAccepted(secret: secret, nonce: makeNonce()), context: context)
            case .failure(let error): perform(machine.rejected(error), context: context)
            }
        case .rejectProof(let gatewayID):
            perform(machine.rejected(authenticator.proofFailed(gatewayID: gatewayID, peer: peer, nowMs: nowMs)), context: context)
        case .sessionReady(let id, let version, let heartbeat, let reply):
            handshakeTimer?.cancel()
            authenticator.succeeded(gatewayID: id, peer: peer)
            logger.info("gateway authenticated", metadata: ["protocol.version": "\(version)"])
            if let reply { context.writeAndFlush(wrapOutboundOut(MessageCodec.encode(reply)), promise: nil) }
            armIdleTimer(context: context)
            context.fireChannelRead(wrapInboundOut(.ready(gatewayID: id, version: version, heartbeatSeconds: heartbeat)))
        case .closeWithError(let error, let notifyPeer):
            SessionCloser.close(context: context, error: error, notifyPeer: notifyPeer, logger: logger,
                                frame: { self.wrapOutboundOut($0) })
        case .close:
            context.close(promise: nil)
        }
    }
}
