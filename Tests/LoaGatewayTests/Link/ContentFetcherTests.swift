import Foundation
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// The link's content transfer without a socket: requests from the partial's offset, refuses
/// chunks out of order by asking again from its own offset, resumes after a broken session,
/// and admits the file only when size and hash check.
@Suite struct ContentFetcherTests {
    static let bytes = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    static let address = ContentAddress(of: bytes)
    static let hash = ContentHash(hex: address.hex)!

    func schedule() -> GatewaySchedule {
        let bulletin = TestBulletin(bytes: Self.bytes, address: Self.address, decodedFrames: 0, durationMs: 8_000)
        return TestSchedule.make(version: 1, entries: [("a", Date(timeIntervalSince1970: 1_900_000_000), bulletin)])
    }

    func chunk(_ range: Range<Int>) -> ContentChunk {
        ContentChunk(sha256: Self.hash, offset: UInt64(range.lowerBound), bytes: Array(Self.bytes[range]))
    }

    @Test func resumesFromItsOffsetAndVerifiesAtTheEnd() throws {
        let directory = TemporaryDirectory("fetch")
        let cache = try ContentCache(root: directory.path, logger: .quiet)
        let fetcher = ContentFetcher(cache: cache, logger: .quiet)
        fetcher.need(schedule())
        #expect(fetcher.nextRequest() == ContentRequest(sha256: Self.hash, offset: 0))
        #expect(fetcher.nextRequest() == nil, "one transfer at a time")
        #expect(fetcher.received(chunk(0..<20_000)) == nil)
        // A chunk that skips ahead is refused: ask again from what we hold.
        #expect(fetcher.received(chunk(30_000..<40_000)) == ContentRequest(sha256: Self.hash, offset: 20_000))

        fetcher.reset()  // the link broke; the partial stays
        #expect(fetcher.nextRequest() == ContentRequest(sha256: Self.hash, offset: 20_000))
        #expect(fetcher.received(chunk(20_000..<50_000)) == nil)
        fetcher.received(ContentEnd(sha256: Self.hash, size: 50_000))
        #expect(cache.contains(Self.address))
        #expect(fetcher.isIdle && fetcher.nextRequest() == nil)
    }

    @Test func aWrongSizeOrHashNeverEntersTheCache() throws {
        let directory = TemporaryDirectory("fetch")
        let cache = try ContentCache(root: directory.path, logger: .quiet)
        let fetcher = ContentFetcher(cache: cache, logger: .quiet)
        fetcher.need(schedule())
        _ = fetcher.nextRequest()
        _ = fetcher.received(chunk(0..<10_000))
        fetcher.received(ContentEnd(sha256: Self.hash, size: 50_000))  // bytes missing
        #expect(!cache.contains(Self.address))
        #expect(fetcher.nextRequest()?.offset == 0, "a size mismatch starts over")

        var corrupt = chunk(0..<50_000)
        corrupt.bytes[100] ^= 0xFF
        _ = fetcher.received(corrupt)
        fetcher.received(ContentEnd(sha256: Self.hash, size: 50_000))
        #expect(!cache.contains(Self.address))
        #expect(fetcher.nextRequest() == nil, "a hash mismatch is not retried within the session")
    }

    @Test func contentNotFoundSkipsToTheNext() throws {
        let directory = TemporaryDirectory("fetch")
        let cache = try ContentCache(root: directory.path, logger: .quiet)
        let fetcher = ContentFetcher(cache: cache, logger: .quiet)
        fetcher.need(schedule())
        _ = fetcher.nextRequest()
        fetcher.refused(ErrorMessage(code: ErrorCode.contentNotFound.rawValue, message: "no such content"))
        #expect(fetcher.isIdle && fetcher.nextRequest() == nil)
        fetcher.reset()
        #expect(fetcher.nextRequest() != nil, "asked again in the next session")
    }

    @Test func announcedContentIsFetchedToo() throws {
        let directory = TemporaryDirectory("fetch")
        let cache = try ContentCache(root: directory.path, logger: .quiet)
        let fetcher = ContentFetcher(cache: cache, logger: .quiet)
        fetcher.need(nil)
        #expect(fetcher.nextRequest() == nil)
        fetcher.want(Self.address)
        #expect(fetcher.nextRequest() == ContentRequest(sha256: Self.hash, offset: 0))
        _ = fetcher.received(chunk(0..<50_000))
        fetcher.received(ContentEnd(sha256: Self.hash, size: 50_000))
        #expect(cache.contains(Self.address))
        #expect(fetcher.nextRequest() == nil)
    }
}
