import Foundation
import LoaAudio
import Logging

/// Browser microphones as live sources. A browser cannot stream a request body over HTTP/1.1, so
/// the console posts its microphone as short WAV segments numbered from 0
/// (`POST /api/v1/live/{id}/segments?sequence=N`); each is admitted by `BrowserSourceBook` and fed,
/// in order, to one `LiveSourcePump` per stream — the encoder's and the relay's path from there on
/// (LAME, payloads, pacing, the hub). A segment's request is answered once its audio is in the
/// pump, so a client ahead of real time is slowed down as an encoder is. The stream ends when an
/// operator stops it, or with `source ended` when the browser has sent nothing for
/// `LiveSettings.browserSourceTimeout` (the tab closed, the network dropped).
public actor BrowserSources {
    let hub: LiveHub
    let logger: Logger
    private var book = BrowserSourceBook()
    /// Each open source's segments, read by its feeder task.
    private var feeds: [Int64: AsyncStream<Segment>.Continuation] = [:]
    /// Why a source's feed was finished (the stored end reason), by stream id.
    private var endings: [Int64: String] = [:]
    private var watchdog: Task<Void, Never>?

    /// A segment on its way to the pump; `done` says whether the stream is still open after it.
    struct Segment: Sendable {
        let pcm: PCMBuffer
        let done: CheckedContinuation<Bool, Never>
    }

    public init(hub: LiveHub, logger: Logger) {
        self.hub = hub
        self.logger = logger
    }

    /// Feeds segment `sequence` of stream `id` from the session `owner` (a token's SHA-256) of
    /// `user`. True while the stream stays open; false when it ended meanwhile (stopped). Throws
    /// `BrowserSourceError` for a segment refused, `LiveHubError` when the stream cannot take a
    /// source (ended, an encoder connected, the controller stopping).
    func feed(_ id: Int64, sequence: UInt64, pcm: PCMBuffer, owner: String, user: String) async throws -> Bool {
        let admission = try book.admit(id, sequence: sequence, owner: owner, user: user, format: pcm.format, at: .now)
        if admission == .open {
            do {
                _ = try await hub.attachSource(id, closeSource: { [weak self] in
                    Task { await self?.finish(id, reason: nil) }
                })
            } catch {
                book.remove(id)
                throw error
            }
            start(id, user: user)
        }
        guard let feed = feeds[id] else {
            book.remove(id)
            throw BrowserSourceError.closed
        }
        let open = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            if case .terminated = feed.yield(Segment(pcm: pcm, done: done)) { done.resume(returning: false) }
        }
        book.fed(id, at: .now)
        return open
    }

    /// Browser sources open now.
    public var count: Int { feeds.count }

    /// The user whose browser feeds stream `id`, while one does.
    public func user(of id: Int64) -> String? { book.sources[id]?.user }

    private func start(_ id: Int64, user: String) {
        let (segments, continuation) = AsyncStream.makeStream(of: Segment.self)
        feeds[id] = continuation
        let feeder = BrowserFeeder(streamID: id, hub: hub, sources: self, logger: logger)
        Task { await feeder.run(segments) }
        logger.info("browser source connected", metadata: ["live.id": "\(id)", "user": "\(user)"])
        if watchdog == nil {
            watchdog = Task { await self.watch() }
        }
    }

    /// Finishes a source's feed (the feeder then ends the stream with `reason`, or nothing when
    /// the stream was ended elsewhere: a stop, the controller stopping).
    func finish(_ id: Int64, reason: String?) {
        guard let feed = feeds[id] else { return }
        if let reason, endings[id] == nil { endings[id] = reason }
        book.close(id)
        feed.finish()
    }

    /// The feeder has ended: the stream's next source may come.
    func ended(_ id: Int64) -> String? {
        book.remove(id)
        feeds[id] = nil
        return endings.removeValue(forKey: id)
    }

    /// Ends sources that have gone quiet, every quarter of the timeout, while any is open.
    private func watch() async {
        let timeout = hub.settings.browserSourceTimeout
        while true {
            try? await Task.sleep(for: timeout / 4)
            if book.isEmpty {
                watchdog = nil
                return
            }
            for id in book.idle(at: .now, after: timeout) {
                logger.notice("browser source timed out", metadata: ["live.id": "\(id)"])
                finish(id, reason: "source ended: the browser sent nothing for \(timeout.inSeconds) s")
            }
        }
    }
}

/// One browser source's segments into its pump, on a task of its own, until its feed finishes.
struct BrowserFeeder: Sendable {
    let streamID: Int64
    let hub: LiveHub
    let sources: BrowserSources
    let logger: Logger

    func run(_ segments: AsyncStream<BrowserSources.Segment>) async {
        let pump: LiveSourcePump
        do {
            pump = try LiveSourcePump(streamID: streamID, hub: hub, now: hub.now)
        } catch {
            await sources.finish(streamID, reason: "source failed: \(error)")
            for await segment in segments { segment.done.resume(returning: false) }
            _ = await sources.ended(streamID)
            await hub.end(streamID, reason: LiveEndReason.sourceEnded, storedReason: "source failed: \(error)", origin: .controller)
            return
        }
        var open = true
        var failure: String?
        var samples = 0
        for await segment in segments {
            // After a stop or a failure the feed is finished; what is still queued is answered.
            guard open else {
                segment.done.resume(returning: false)
                continue
            }
            samples += segment.pcm.samples.count
            do {
                open = try await pump.feed(pcm: segment.pcm, upstreamBytes: samples * 2)
            } catch {
                failure = "source failed: \(error)"
                open = false
            }
            segment.done.resume(returning: open)
            if !open { await sources.finish(streamID, reason: failure) }
        }
        let reason = await sources.ended(streamID)
        guard await hub.isOpen(streamID) else { return }  // stopped: the hub has ended it
        if let failure {
            await hub.end(streamID, reason: LiveEndReason.sourceEnded, storedReason: failure, origin: .controller, closeSource: false)
        } else if pump.onAir {
            try? await pump.finishPCM()
            await hub.end(streamID, reason: LiveEndReason.sourceEnded, storedReason: reason, origin: .controller, closeSource: false)
        } else {
            await hub.detachSource(streamID)
        }
        logger.info("browser source ended", metadata: ["live.id": "\(streamID)", "live.reason": "\(reason ?? failure ?? "")"])
    }
}
