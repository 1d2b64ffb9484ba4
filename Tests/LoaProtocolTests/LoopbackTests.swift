import Crypto
import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import LoaProtocol

/// Both real ends over real sockets on 127.0.0.1: handshake, heartbeat, a schedule push and
/// its ack, a content transfer, as-played events acked by id (sent twice, as after a reconnect).
@Suite(.serialized) struct LoopbackTests {
    static let content = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    static let hash = ContentHash(bytes: Array(SHA256.hash(data: content)))!

    /// The controller daemon's handler in miniature.
    final class ControllerApp: ChannelInboundHandler {
        typealias InboundIn = SessionEvent
        typealias OutboundOut = Message
        let log: AsyncStream<String>.Continuation
        var storedEvents: Set<String> = []
        init(log: AsyncStream<String>.Continuation) { self.log = log }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .ready(let id, let version, _):
                log.yield("controller ready \(id) v\(version)")
                context.writeAndFlush(wrapOutboundOut(.scheduleUpdate(ScheduleUpdate(version: 7, document: Array(#"{"entries":[]}"#.utf8)))), promise: nil)
            case .message(.scheduleAck(let ack)):
                log.yield("scheduleAck \(ack.version)")
            case .message(.heartbeat):
                log.yield("unexpected heartbeat delivery")
            case .message(.contentRequest(let request)):
                var offset = Int(request.offset)
                while offset < LoopbackTests.content.count {
                    let end = min(offset + 32 * 1024, LoopbackTests.content.count)
                    let chunk = ContentChunk(sha256: request.sha256, offset: UInt64(offset), bytes: Array(LoopbackTests.content[offset..<end]))
                    context.write(wrapOutboundOut(.contentChunk(chunk)), promise: nil)
                    offset = end
                }
                context.writeAndFlush(wrapOutboundOut(.contentEnd(ContentEnd(sha256: request.sha256, size: UInt64(LoopbackTests.content.count)))), promise: nil)
            case .message(.playEvents(let batch)):
                let fresh = batch.events.filter { storedEvents.insert($0.id).inserted }
                log.yield("stored \(fresh.count) of \(batch.events.count) events")
                context.writeAndFlush(wrapOutboundOut(.playEventsAck(PlayEventAck(ids: batch.events.map(\.id)))), promise: nil)
            case .message(let other):
                log.yield("controller got \(other.frameType)")
            case .clockSample:
                break
            }
        }
    }

    /// The gateway daemon's handler in miniature.
    final class GatewayApp: ChannelInboundHandler {
        typealias InboundIn = SessionEvent
        typealias OutboundOut = Message
        let log: AsyncStream<String>.Continuation
        var receiver = ContentReceiver(expected: LoopbackTests.hash)
        let events = [PlayEvent(id: "ev-1", itemId: "bulletin-42", kind: .started, at: 1),
                      PlayEvent(id: "ev-2", itemId: "bulletin-42", kind: .finished, at: 2)]
        init(log: AsyncStream<String>.Continuation) { self.log = log }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .ready(_, let version, _):
                log.yield("gateway ready v\(version)")
                context.writeAndFlush(wrapOutboundOut(.heartbeat), promise: nil)
            case .clockSample(let sample):
                log.yield(sample.delay >= 0 ? "clock sample" : "bad clock sample")
            case .message(.scheduleUpdate(let update)):
                context.write(wrapOutboundOut(.scheduleAck(ScheduleAck(version: update.version))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.contentRequest(receiver.request)), promise: nil)
            case .message(.contentChunk(let chunk)):
                do { try receiver.receive(chunk) } catch { log.yield("chunk refused: \(error)") }
            case .message(.contentEnd(let end)):
                do {
                    try receiver.finish(end)
                    log.yield("content verified \(receiver.receivedBytes)")
                } catch { log.yield("content failed: \(error)") }
                // Sent twice, as a gateway does after a reconnect before the ack arrived.
                context.write(wrapOutboundOut(.playEvents(PlayEventBatch(events: events))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.playEvents(PlayEventBatch(events: events))), promise: nil)
            case .message(.playEventsAck(let ack)):
                log.yield("acked \(ack.ids.joined(separator: ","))")
            case .message(let other):
                log.yield("gateway got \(other.frameType)")
            }
        }
    }

    static let expected: Set<String> = [
        "controller ready xa-tan-lap-01 v1", "gateway ready v1", "clock sample", "scheduleAck 7",
        "content verified 200000", "stored 2 of 2 events", "stored 0 of 2 events", "acked ev-1,ev-2",
    ]

    /// Runs one session and returns what both applications logged, or fails after 10 s.
    static func runSession(serverTLS: LoaTLSConfiguration?, clientTLS: LoaTLSConfiguration?) async throws -> [String] {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (log, logWriter) = AsyncStream.makeStream(of: String.self)
        let authenticator = GatewayAuthenticator(secrets: TestSupport.secrets)
        let serverContext = try serverTLS?.makeServerContext()
        let clientContext = try clientTLS?.makeClientContext()
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    if let serverContext { try ops.addLoaTLSServer(context: serverContext) }
                    try ops.addLoaControllerHandlers(authenticator: authenticator, logger: TestSupport.quietLogger)
                    try ops.addHandler(ControllerApp(log: logWriter))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let configuration = GatewaySessionHandler.Configuration(
            session: .init(gatewayID: "xa-tan-lap-01", secret: Samples.secret), clockSyncBurst: 1)
        var bootstrap = ClientBootstrap(group: group)
        if let option = GatewaySocketOptions.tcpUserTimeout { bootstrap = bootstrap.channelOption(option, value: 360_000) }
        let client = try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    if let clientContext { try ops.addLoaTLSClient(context: clientContext, serverHostname: "localhost") }
                    try ops.addLoaGatewayHandlers(configuration: configuration, logger: TestSupport.quietLogger)
                    try ops.addHandler(GatewayApp(log: logWriter))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let timeout = Task {
            try await Task.sleep(for: .seconds(10))
            logWriter.finish()
        }
        var seen: [String] = []
        for await line in log {
            seen.append(line)
            if expected.isSubset(of: Set(seen)) { break }
        }
        timeout.cancel()
        try await client.close()
        try await server.close()
        try await group.shutdownGracefully()
        return seen
    }

    @Test func plainTCPSessionRunsEndToEnd() async throws {
        let seen = try await Self.runSession(serverTLS: nil, clientTLS: nil)
        #expect(Self.expected.isSubset(of: Set(seen)), "missing: \(Self.expected.subtracting(seen)); saw \(seen)")
        #expect(!seen.contains { $0.contains("failed") || $0.contains("refused") || $0.contains("unexpected") })
    }

    @Test func tlsSessionWithASelfSignedCertificate() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loa-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl req failed")
        let seen = try await Self.runSession(serverTLS: LoaTLSConfiguration(certificatePath: cert, privateKeyPath: key),
                                             clientTLS: LoaTLSConfiguration(caPath: cert))
        #expect(Self.expected.isSubset(of: Set(seen)), "missing: \(Self.expected.subtracting(seen)); saw \(seen)")
    }
}
