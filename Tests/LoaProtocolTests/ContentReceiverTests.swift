import Crypto
import Testing
@testable import LoaProtocol

@Suite struct ContentReceiverTests {
    let content = Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    var hash: ContentHash { ContentHash(bytes: Array(SHA256.hash(data: content)))! }

    func chunks(of bytes: [UInt8], size: Int = 16_384) -> [ContentChunk] {
        stride(from: 0, to: bytes.count, by: size).map {
            ContentChunk(sha256: hash, offset: UInt64($0), bytes: Array(bytes[$0..<min($0 + size, bytes.count)]))
        }
    }

    @Test func acceptsContiguousChunksAndChecksTheEnd() throws {
        var receiver = ContentReceiver(expected: hash)
        for chunk in chunks(of: content) { try receiver.receive(chunk) }
        try receiver.finish(ContentEnd(sha256: hash, size: UInt64(content.count)))
        #expect(receiver.isFinished)
    }

    @Test func resumesFromAnOffset() throws {
        var receiver = ContentReceiver(expected: hash, resumingFrom: Array(content[..<16_384]))
        #expect(receiver.request == ContentRequest(sha256: hash, offset: 16_384))
        for chunk in chunks(of: content).dropFirst() { try receiver.receive(chunk) }
        try receiver.finish(ContentEnd(sha256: hash, size: UInt64(content.count)))
    }

    @Test func refusesOutOfOrderChunksWithoutChangingState() throws {
        var receiver = ContentReceiver(expected: hash)
        let all = chunks(of: content)
        try receiver.receive(all[0])
        #expect(throws: ProtocolError.contentOutOfOrder(expectedOffset: 16_384, receivedOffset: 32_768)) {
            try receiver.receive(all[2])
        }
        #expect(receiver.receivedBytes == 16_384)
        let other = ContentChunk(sha256: ContentHash(bytes: [UInt8](repeating: 0, count: 32))!, offset: 16_384, bytes: [1])
        #expect(throws: ProtocolError.self) { try receiver.receive(other) }
    }

    @Test func corruptedChunkFailsTheHashAtTheEnd() throws {
        var corrupted = content
        corrupted[50_000] ^= 0xFF
        var receiver = ContentReceiver(expected: hash)
        for chunk in chunks(of: corrupted) { try receiver.receive(chunk) }
        let error = #expect(throws: ProtocolError.self) {
            try receiver.finish(ContentEnd(sha256: hash, size: UInt64(content.count)))
        }
        #expect(error?.code == .contentHashMismatch)
    }

    @Test func wrongSizeIsReportedBeforeTheHash() throws {
        var receiver = ContentReceiver(expected: hash)
        try receiver.receive(chunks(of: content)[0])
        #expect(throws: ProtocolError.contentSizeMismatch(expected: 100_000, received: 16_384)) {
            try receiver.finish(ContentEnd(sha256: hash, size: 100_000))
        }
    }
}
