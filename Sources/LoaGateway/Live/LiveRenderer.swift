#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import LoaAudio
import Logging

/// Plays one live stream into an `AudioOutput` on a thread of its own, with one `MP3Decoder`:
/// asks the stream's `LiveJitterBuffer` what to do for the instant the next sample will sound
/// (controller clock + what the output holds), places the first sample at its presentation
/// time, writes silence while nothing is there (the amplifier stays on and the card keeps
/// running), tells the player when the source goes quiet, and ends once `liveEnd` is drained.
/// `cancel()` cuts it within one slice (~100 ms) or at once from a wait.
///
/// An output that does not pace itself (a `type file` PCM, memory) would take seconds of
/// silence in a millisecond; so the renderer keeps its own account of where the written sound
/// ends (`writtenUntil`) and never queues silence more than `headroomNs` ahead of the clock.
/// On an output that does pace itself, a `PacedTimeline` holds the card on the stream's time
/// line: placed at each payload's presentation time after silence (a re-join at once if the
/// card is not there), then slices with frames spliced in or out as the card drifts.
public final class LiveRenderer: @unchecked Sendable {
    /// What the renderer tells the player while it plays.
    public enum Signal: Sendable, Equatable {
        /// Nothing to play and the queued sound has run out: silence is being written.
        case quiet
    }

    public let itemId: String
    public let stream: ReceivedLiveStream
    private let output: any AudioOutput
    private let now: @Sendable () -> Date
    private let signal: @Sendable (Signal) -> Void
    private let logger: Logger
    /// How far ahead of the clock silence is queued, and the longest single silence write.
    static let headroomNs: Int64 = 100_000_000
    private let thread = RenderThread(name: "loa-live")
    private let lock = NIOLock()
    private var framesWritten = 0
    private var rate = 0
    // Owned by the render thread.
    private var writtenUntil: Int64?
    private var decoder: MP3Decoder?
    private let timelineStatus: TimelineStatus?
    private var timeline: PacedTimeline?
    /// The time line continues from the last payload (false after silence: the next is placed).
    private var placed = false

    public init(stream: ReceivedLiveStream, output: any AudioOutput, logger: Logger, now: @escaping @Sendable () -> Date,
                signal: @escaping @Sendable (Signal) -> Void = { _ in }, timeline: TimelineStatus? = nil) {
        self.itemId = stream.itemId
        self.timelineStatus = timeline
        self.stream = stream
        self.output = output
        self.now = now
        self.signal = signal
        self.logger = logger
    }

    /// Starts the thread; `completion` runs on it when playing ends.
    public func start(completion: @escaping @Sendable (BulletinRenderer.Outcome) -> Void) {
        thread.start({ [self] in play() }, completion: completion)
    }

    /// Stops sound now and waits (at most `timeout`) for the thread to leave the output.
    public func cancel(timeout: TimeInterval = 2) {
        thread.cancel(timeout: timeout) {
            stream.wake()
            output.cancel()
        }
    }

    /// Sound written since the item started, silence included, in ms.
    public var positionMs: Int64 { lock.withLock { rate > 0 ? Int64(framesWritten) * 1000 / Int64(rate) : 0 } }

    private var isCancelled: Bool { thread.isCancelled }

    private func nowNs() -> Int64 { ReceivedLiveStream.nanoseconds(now()) }

    /// Controller ns at which the next written sample will sound.
    private func cursor(_ now: Int64) -> Int64 {
        var real = now
        if let format = output.openFormat, format.sampleRate > 0 {
            real += Int64(output.delay()) * 1_000_000_000 / Int64(format.sampleRate)
        }
        // A paced output held on the line says where the sound ends; the account of what was
        // written, at the nominal rate, would drift from it with the card.
        if timeline != nil { return real }
        return max(real, writtenUntil ?? real)
    }

    /// Waits up to `ns` (at most 100 ms at a time) or until the stream changes or is cancelled.
    private func pause(_ ns: Int64) {
        let seconds = Double(min(max(ns, 1_000_000), 100_000_000)) / 1e9
        stream.changed.wait(seconds: seconds)
    }

    private func play() -> BulletinRenderer.Outcome {
        stream.reanchor()
        var quiet = false
        do {
            while true {
                if isCancelled { return .cancelled(positionMs: positionMs) }
                let now = nowNs()
                let cursor = self.cursor(now)
                switch stream.next(cursor: cursor) {
                case .play(let payload, let skip):
                    quiet = false
                    let placeAt = payload.presentationTime + Int64(skip) * 1_000_000_000 / Int64(max(1, stream.format.sampleRate))
                    try write(decode(payload), skipping: skip, placeAt: placeAt)
                case .wait(let until):
                    if writtenUntil == nil, output.delay() == 0 {
                        pause(until - now)  // nothing sounding yet: start on time, like StartAlignment's wait
                        continue
                    }
                    if cursor - now > Self.headroomNs {
                        pause(cursor - now - Self.headroomNs)
                        continue
                    }
                    try writeSilence(nanoseconds: min(until - cursor, Self.headroomNs))
                    stream.silenceWritten()
                case .dry:
                    if cursor - now > Self.headroomNs {
                        pause(cursor - now - Self.headroomNs)
                        continue
                    }
                    if !quiet {
                        quiet = true
                        signal(.quiet)
                    }
                    try writeSilence(nanoseconds: Self.headroomNs / 2)
                    stream.silenceWritten()
                case .drained:
                    if let rest = try decoder?.finish(), rest.frameCount > 0 { try write(rest, skipping: 0) }
                    if output.openFormat != nil { try output.drain() }
                    // An unpaced output took it all at once: end when the sound would have.
                    while !isCancelled, timeline == nil, let end = writtenUntil, end > nowNs() { pause(end - nowNs()) }
                    return isCancelled ? .cancelled(positionMs: positionMs) : .finished(positionMs: positionMs)
                }
            }
        } catch {
            return .failed(positionMs: positionMs, reason: "\(error)")
        }
    }

    /// Decodes one payload; a payload mpg123 refuses is logged and replaced by nothing (the
    /// next one re-anchors on its time), with a fresh decoder so one bad frame cannot stick.
    private func decode(_ payload: LiveJitterBuffer.Payload) -> PCMBuffer? {
        do {
            if decoder == nil { decoder = try MP3Decoder() }
            return try decoder?.decode(payload.mp3)
        } catch {
            logger.warning("live payload not decodable; skipped", metadata: [
                "item.id": "\(itemId)", "live.sequence": "\(payload.sequence)", "error": "\(error)"])
            decoder = nil
            stream.silenceWritten()
            return nil
        }
    }

    private func openIfNeeded(_ format: AudioFormat) throws {
        if output.openFormat != format { try output.open(format: format) }
        lock.withLock { rate = format.sampleRate }
    }

    private func writeSilence(nanoseconds: Int64) throws {
        let format = output.openFormat ?? decoder?.format ?? stream.format
        let frames = Int(nanoseconds * Int64(format.sampleRate) / 1_000_000_000)
        guard frames > 0 else { return }
        try write(PCMBuffer(format: format, samples: [Float](repeating: 0, count: frames * format.channels)), skipping: 0)
        placed = false
    }

    /// Writes `pcm` less its first `skip` frames in ~100 ms slices; `placeAt`: the controller
    /// ns its first written frame should sound at, by the stream's time line.
    private func write(_ pcm: PCMBuffer?, skipping skip: Int, placeAt: Int64? = nil) throws {
        guard var buffer = pcm, buffer.frameCount > skip else { return }
        if skip > 0 { buffer = buffer.frames(from: skip, count: buffer.frameCount - skip) }
        try openIfNeeded(buffer.format)
        if let placeAt { follow(buffer.format, placeAt: placeAt) }
        let step = max(1, buffer.format.sampleRate / 10)
        var start = 0
        while start < buffer.frameCount {
            if isCancelled { return }
            let count = min(step, buffer.frameCount - start)
            var slice = buffer.frames(from: start, count: count)
            if timeline != nil { (slice, _) = timeline!.prepare(slice, output: output, now: now) }
            let at = cursor(nowNs())
            if slice.frameCount > 0 { try output.write(slice) }
            timeline?.wrote(slice.frameCount)
            writtenUntil = at + Int64(slice.frameCount) * 1_000_000_000 / Int64(buffer.format.sampleRate)
            lock.withLock { framesWritten += count }
            start += count
        }
    }

    /// A payload's sound is about to be written: on a paced output, the time line starts there,
    /// or after silence is placed there again.
    private func follow(_ format: AudioFormat, placeAt: Int64) {
        guard output.isPaced else { return }
        if timeline == nil {
            timeline = PacedTimeline(itemId: itemId, rate: format.sampleRate, originNs: placeAt, status: timelineStatus,
                                     settings: RateCorrector.Settings())
            timeline?.place(atNs: placeAt)  // a join: on the line at once, as the jitter buffer's skip is
        } else if !placed {
            timeline?.place(atNs: placeAt)
        }
        placed = true
    }
}
