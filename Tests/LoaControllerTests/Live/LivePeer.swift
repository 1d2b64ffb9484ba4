import Foundation
import LoaAudio
import LoaProtocol
import NIOCore
import NIOPosix
import Synchronization

/// A gateway end on 127.0.0.1 built from LoaProtocol's client side that records every live
/// message in arrival order (and acknowledges schedules, like a gateway).
final class LivePeer: Sendable {
    enum Received: Sendable, Equatable {
        case start(LiveStart)
        case audio(LiveAudio)
        case end(LiveEnd)
    }

    private let received = Mutex<[Received]>([])
    let gatewayID: String
    private let channelBox = Mutex<(any Channel)?>(nil)

    init(gatewayID: String) {
        self.gatewayID = gatewayID
    }

    var all: [Received] { received.withLock { $0 } }
    var starts: [LiveStart] { all.compactMap { if case .start(let s) = $0 { s } else { nil } } }
    var audio: [LiveAudio] { all.compactMap { if case .audio(let a) = $0 { a } else { nil } } }
    var ends: [LiveEnd] { all.compactMap { if case .end(let e) = $0 { e } else { nil } } }

    func record(_ item: Received) { received.withLock { $0.append(item) } }

    /// `receiveBuffer` fixes SO_RCVBUF (no autotuning), for a gateway whose socket fills quickly.
    func connect(port: Int, secret: [UInt8], group: any EventLoopGroup, receiveBuffer: Int? = nil) async throws {
        let configuration = GatewaySessionHandler.Configuration(session: .init(gatewayID: gatewayID, secret: secret), clockSyncInterval: nil)
        var bootstrap = ClientBootstrap(group: group)
        if let receiveBuffer { bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer)) }
        let channel = try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try ops.addLoaGatewayHandlers(configuration: configuration, logger: TestLog.quiet)
                    try ops.addHandler(LivePeerHandler(peer: self))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channelBox.withLock { $0 = channel }
    }

    /// Stops (or resumes) reading from the socket: a gateway on a link too slow for the stream.
    func setReading(_ on: Bool) async throws {
        let channel = channelBox.withLock { $0 }
        try await channel?.setOption(ChannelOptions.autoRead, value: on).get()
        if on { channel?.read() }
    }

    func close() async {
        let channel = channelBox.withLock { $0 }
        try? await channel?.close()
    }

    /// Waits until `condition` holds on what was received.
    func wait(seconds: Double = 30, until condition: (LivePeer) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(self)
    }

    /// Samples (per channel) in a payload: the sum of its frames' sample counts.
    static func samples(in mp3: [UInt8]) -> Int {
        var p = 0, total = 0
        while p + 4 <= mp3.count, let header = MP3FrameHeader(mp3[p], mp3[p + 1], mp3[p + 2], mp3[p + 3]) {
            total += header.samplesPerFrame
            p += header.frameLength
        }
        return p == mp3.count ? total : -1
    }
}

final class LivePeerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = SessionEvent
    typealias OutboundOut = Message
    let peer: LivePeer

    init(peer: LivePeer) { self.peer = peer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .message(.liveStart(let start)): peer.record(.start(start))
        case .message(.liveAudio(let audio)): peer.record(.audio(audio))
        case .message(.liveEnd(let end)): peer.record(.end(end))
        case .message(.scheduleUpdate(let update)):
            context.writeAndFlush(wrapOutboundOut(.scheduleAck(ScheduleAck(version: update.version))), promise: nil)
        default: break
        }
    }
}
