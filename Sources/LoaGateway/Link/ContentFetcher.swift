#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import LoaSchedule
import Logging

/// Fetches what the schedule needs and the cache lacks, one file at a time: `beginDownload`
/// (resuming from the partial's length), `contentRequest` from that offset, chunks appended in
/// order, and at `contentEnd` the size and SHA-256 checked before the file enters the cache.
/// Owned by the `GatewayLink` actor.
final class ContentFetcher {
    /// The protocol tells the size only at the end, so downloads start with an upper bound:
    /// 320 kbit/s (MP3's maximum) over the content's duration, plus 1 MiB for tags.
    static func sizeBound(durationMs: Int64) -> UInt64 { UInt64(max(0, durationMs)) * 40 + (1 << 20) }

    private let cache: ContentCache
    private var logger: Logger
    /// Content the schedule needs, with its duration.
    private var needed: [ContentAddress: Int64] = [:]
    private var current: ContentDownload?
    /// Skipped in this session (the controller has no such content, or the cache refused it).
    private var skipped: Set<ContentAddress> = []

    init(cache: ContentCache, logger: Logger) {
        self.cache = cache
        self.logger = logger
    }

    /// Content announced outside the schedule, kept wanted until cached.
    private var announced: [ContentAddress: Int64] = [:]

    /// The schedule changed: remember what it needs.
    func need(_ schedule: GatewaySchedule?) {
        needed = [:]
        for content in schedule?.contents ?? [] {
            if let address = ContentAddress(hex: content.sha256) { needed[address] = content.durationMs }
        }
    }

    /// An announcement names content: fetch it too if it is not cached. Its duration is unknown,
    /// so the size bound assumes 30 minutes.
    func want(_ address: ContentAddress) {
        guard !cache.contains(address) else { return }
        announced[address] = 30 * 60 * 1000
    }

    private var wanted: [ContentAddress: Int64] {
        announced = announced.filter { !cache.contains($0.key) }
        return needed.merging(announced) { scheduled, _ in scheduled }
    }

    /// A new session: forget in-flight state (the partial on disk stays and resumes).
    func reset() {
        current = nil
        skipped = []
    }

    var isIdle: Bool { current == nil }

    /// The next request to send, or nil when everything needed is cached.
    func nextRequest() -> ContentRequest? {
        guard current == nil else { return nil }
        let wanted = self.wanted
        let all = Set(wanted.keys)
        for address in cache.missing(from: all) where !skipped.contains(address) {
            do {
                switch try cache.beginDownload(address, expectedSize: Self.sizeBound(durationMs: wanted[address] ?? 0), needed: all) {
                case .cached:
                    continue
                case .download(let download):
                    current = download
                    logger.info("requesting content", metadata: ["content.sha256": "\(address.hex)", "offset": "\(download.offset)"])
                    return ContentRequest(sha256: ContentHash(hex: address.hex)!, offset: download.offset)
                }
            } catch {
                logger.error("cannot download content", metadata: ["content.sha256": "\(address.hex)", "error": "\(error)"])
                skipped.insert(address)
            }
        }
        return nil
    }

    /// A chunk arrived. Returns a request to send when it was out of order (resume from ours).
    func received(_ chunk: ContentChunk) -> ContentRequest? {
        guard let current, current.address.hex == chunk.sha256.description else { return nil }
        guard chunk.offset == current.offset else {
            return ContentRequest(sha256: chunk.sha256, offset: current.offset)
        }
        do {
            _ = try current.append(chunk.bytes)
        } catch {
            logger.error("content chunk refused", metadata: ["content.sha256": "\(current.address.hex)", "error": "\(error)"])
            self.current = nil
            skipped.insert(current.address)
        }
        return nil
    }

    /// The controller says all bytes were sent: verify and admit into the cache.
    func received(_ end: ContentEnd) {
        guard let download = current, download.address.hex == end.sha256.description else { return }
        current = nil
        let address = download.address
        guard end.size == download.offset else {
            logger.error("content size mismatch; starting over", metadata: [
                "content.sha256": "\(address.hex)", "expected": "\(end.size)", "received": "\(download.offset)"])
            try? cache.discardPartial(address)
            return
        }
        do {
            let path = try download.complete()
            logger.info("content verified", metadata: ["content.sha256": "\(address.hex)", "bytes": "\(end.size)", "path": "\(path)"])
        } catch {
            logger.error("content failed verification", metadata: ["content.sha256": "\(address.hex)", "error": "\(error)"])
            skipped.insert(address)
        }
    }

    /// The controller refused the current transfer (e.g. contentNotFound).
    /// Whether the controller refused this content (it will not be asked for again this session).
    func gaveUp(on address: ContentAddress) -> Bool { skipped.contains(address) }

    func refused(_ error: ErrorMessage) {
        guard let current else { return }
        logger.error("controller refused content", metadata: ["content.sha256": "\(current.address.hex)", "error": "\(error.message)"])
        skipped.insert(current.address)
        self.current = nil
    }
}
