import Foundation
import LoaProtocol
import NIOCore
import NIOPosix
import Testing
@testable import LoaController

/// `gateways.tls_certificate` / `tls_private_key`: the same session inside TLS, with a
/// self-signed certificate the gateway end trusts.
@Suite struct TLSLoopbackTests {
    @Test func aGatewayConnectsOverTLSAndGetsItsSchedule() async throws {
        let dir = try ScratchDirectory("loa-tls")
        defer { dir.cleanup() }
        let cert = dir.path("cert.pem"), key = dir.path("key.pem")
        let openssl = try Tool.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], executable: "/usr/bin/openssl")
        try #require(openssl.status == 0, "\(openssl.stderr)")

        var configuration = ControllerConfiguration()
        configuration.gateways.listenHost = "127.0.0.1"
        configuration.gateways.listenPort = 0
        configuration.gateways.tlsCertificate = cert
        configuration.gateways.tlsPrivateKey = key
        try configuration.validate()

        let fixture = try await StoreFixture.seeded()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fleet = GatewayFleet(store: fixture.store, content: try ContentStore(root: dir.url.appendingPathComponent("content")),
                                 logger: TestLog.quiet)
        let server = GatewayServer(configuration: .init(configuration), fleet: fleet,
                                   secrets: GatewaySecretCache(store: fixture.database, logger: TestLog.quiet),
                                   group: group, logger: TestLog.quiet)
        let port = try await server.start()
        let clientContext = try LoaTLSConfiguration(caPath: cert).makeClientContext()
        let log = EventLog()
        let session = GatewaySessionHandler.Configuration(
            session: .init(gatewayID: "xa-tan-lap-01", secret: try await fixture.store.handshakeSecret(for: "xa-tan-lap-01").handshakeKey),
            clockSyncInterval: nil)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try ops.addLoaTLSClient(context: clientContext, serverHostname: "localhost")
                    try ops.addLoaGatewayHandlers(configuration: session, logger: TestLog.quiet)
                    try ops.addHandler(FakeGatewayHandler(log: log, events: []))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        #expect(await log.wait(prefix: "schedule v") != nil, "\(log.all)")
        #expect(fleet.registry.isOnline("xa-tan-lap-01"))
        try await channel.close()
        await server.stop()
        try await group.shutdownGracefully()
    }
}
