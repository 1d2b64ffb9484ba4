import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import LoaProtocol

/// Keeps every record in memory so tests can read what the handlers logged.
struct RecordingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    let records: NIOLockedValueBox<[Record]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(metadata ?? [:]) { $1 }
        records.withLockedValue { $0.append(Record(level: level, message: "\(message)", metadata: merged)) }
    }
}

@Suite struct LoggingTests {
    @Test func wrongSecretIsLoggedWithTheGatewayIDAndCodeInMetadata() throws {
        let records = NIOLockedValueBox<[RecordingLogHandler.Record]>([])
        let logger = Logger(label: "loa.test") { _ in RecordingLogHandler(records: records) }
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addLoaControllerHandlers(
            authenticator: GatewayAuthenticator(secrets: TestSupport.secrets), clock: TestSupport.fixedClock, logger: logger)
        try channel.connect(to: SocketAddress(ipAddress: "10.1.2.3", port: 40000)).wait()
        try channel.writeInbound(TestSupport.bytes(.hello(Samples.hello)))
        let wrong = Message.authenticate(Authenticate(mac: HexBytes([UInt8](repeating: 0, count: 32))))
        #expect(throws: ProtocolError.self) { try channel.writeInbound(TestSupport.bytes(wrong)) }
        let closing = try #require(records.withLockedValue { $0 }.first { $0.message == "closing session" })
        #expect(closing.metadata["gateway.id"] == "xa-tan-lap-01")
        #expect(closing.metadata["peer.address"] == "10.1.2.3")
        #expect(closing.metadata["loa.error.code"] == "10")
        #expect(closing.metadata["error"] == "gateway 'xa-tan-lap-01': wrong secret (attempt 1, next allowed in 2 s)")
    }
}
