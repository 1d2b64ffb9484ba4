import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
@testable import LoaProtocol

@Suite struct FrameDecoderTests {
    @Test func verifierAcceptsEverySample() throws {
        let pairs = Samples.all.map { sample -> (ByteBuffer, [Frame]) in
            let frame = MessageCodec.encode(sample.message)
            return (ByteBuffer(bytes: frame.serialized()), [frame])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { FrameDecoder() }
        let all = pairs.flatMap { $0.1 }
        var joined = ByteBuffer()
        all.forEach { joined.writeBytes($0.serialized()) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(joined, all)]) { FrameDecoder() }
    }

    @Test func lengthOverTheLimitFailsBeforeThePayloadArrives() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameLength: 4096)))
        #expect(throws: ProtocolError.frameTooLarge(length: 0x7FFF_FFFF, limit: 4096)) {
            try channel.writeInbound(ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF, 0x10]))
        }
        _ = try? channel.finish()
    }

    @Test func handshakeFramesHaveASmallerLimit() throws {
        let big = Frame(.scheduleUpdate, payload: [UInt8](repeating: 0, count: 10_000))
        let first = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        #expect(throws: ProtocolError.frameTooLarge(length: 10_001, limit: 4096)) {
            try first.writeInbound(ByteBuffer(bytes: big.serialized()))
        }
        _ = try? first.finish()
        let later = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        let heartbeat = Frame(.heartbeat).serialized()
        try later.writeInbound(ByteBuffer(bytes: heartbeat + heartbeat + big.serialized()))
        #expect(try later.readInbound(as: Frame.self) == Frame(.heartbeat))
        #expect(try later.readInbound(as: Frame.self) == Frame(.heartbeat))
        #expect(try later.readInbound(as: Frame.self) == big)
        _ = try later.finish()
    }

    @Test func truncatedFrameThenEOFIsReported() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 9, 0x20, 1, 2]))
        #expect(try channel.readInbound(as: Frame.self) == nil)
        #expect(throws: ProtocolError.truncatedFrame(expected: 13, available: 7)) { try channel.finish() }
    }
}
