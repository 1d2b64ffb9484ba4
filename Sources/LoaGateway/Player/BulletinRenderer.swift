#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import LoaAudio

/// Plays one cached MP3 (or a technician's test tone) into an `AudioOutput` on a thread of its
/// own: decodes it in slices, skips to the item's offset, writes PCM (blocking writes pace it
/// to the card), drains, and reports how it ended. `cancel()` cuts it within one ALSA period.
/// On an output that paces itself, a `PacedTimeline` keeps the card on the item's time line
/// (the first sample at `startAt`, each next one a sample period later by the controller's
/// clock): frames spliced in or out of each slice, a re-join when far off.
public final class BulletinRenderer: @unchecked Sendable {
    /// How playing ended.
    public enum Outcome: Sendable, Equatable {
        case finished(positionMs: Int64)
        case cancelled(positionMs: Int64)
        case failed(positionMs: Int64, reason: String)
    }

    /// What to play.
    public enum Source: Sendable, Equatable {
        case file(String)
        case tone(TestTone)
    }

    public let itemId: String
    private let source: Source
    private let fromMs: Int64
    private let output: any AudioOutput
    /// The instant the first sample should reach the speaker (nil = as soon as possible), and
    /// the clock it is in (controller time).
    private let startAt: Date?
    private let now: @Sendable () -> Date
    private let wakeup = Wakeup()
    private let thread = RenderThread(name: "loa-render")
    private let lock = NIOLock()
    private var framesWritten = 0
    private var rate = 0
    private let timelineStatus: TimelineStatus?
    /// Owned by the render thread; nil on an unpaced output or before the first sample.
    private var timeline: PacedTimeline?

    public convenience init(itemId: String, path: String, fromMs: Int64, output: any AudioOutput) {
        self.init(itemId: itemId, source: .file(path), fromMs: fromMs, output: output)
    }

    public init(itemId: String, source: Source, fromMs: Int64, output: any AudioOutput, startAt: Date? = nil,
                now: @escaping @Sendable () -> Date = { Date() }, timeline: TimelineStatus? = nil) {
        self.itemId = itemId
        self.timelineStatus = timeline
        self.source = source
        self.startAt = startAt
        self.now = now
        self.fromMs = fromMs
        self.output = output
    }

    /// Starts the thread; `completion` runs on it when playing ends (not after `cancel()`'s wait).
    public func start(completion: @escaping @Sendable (Outcome) -> Void) {
        thread.start({ [self] in play() }, completion: completion)
    }

    /// Stops sound now and waits (at most `timeout`) for the thread to leave the output.
    /// Returns where the speaker was cut, in ms from the item's start: what was written less
    /// what the output still held and dropped (on a card, its queue; on a `type file` PCM,
    /// nothing) — `fromMs` if nothing sounded.
    @discardableResult
    public func cancel(timeout: TimeInterval = 2) -> Int64 {
        var dropped = 0
        thread.cancel(timeout: timeout) {
            wakeup.signal()  // out of a wait for the start instant
            dropped = output.delay()
            output.cancel()
        }
        let written: Int = lock.withLock { framesWritten }
        let rate: Int = lock.withLock { self.rate }
        guard rate > 0 else { return fromMs }
        return fromMs + Int64(max(0, written - dropped)) * 1000 / Int64(rate)
    }

    /// Where sound is, in ms from the item's start.
    public var positionMs: Int64 {
        lock.withLock { rate > 0 ? fromMs + Int64(framesWritten) * 1000 / Int64(rate) : fromMs }
    }

    private var isCancelled: Bool { thread.isCancelled }

    private func play() -> Outcome {
        switch source {
        case .file(let path): return play(path: path)
        case .tone(let tone): return play(tone: tone)
        }
    }

    private func play(tone: TestTone) -> Outcome {
        // The format the card is already open at, so a tone between bulletins does not reopen it.
        let format = output.openFormat ?? .speech
        do {
            try openIfNeeded(format)
            try align(format)
            let total = tone.frameCount(at: format)
            var frame = Int(fromMs * Int64(format.sampleRate) / 1000)
            let step = max(1, format.sampleRate / 10)
            while frame < total {
                if isCancelled { return .cancelled(positionMs: positionMs) }
                var skip = 0
                try write(tone.slice(format, from: frame, count: step), skipping: &skip)
                frame += step
            }
            if isCancelled { return .cancelled(positionMs: positionMs) }
            try playOut()
            return isCancelled ? .cancelled(positionMs: positionMs) : .finished(positionMs: positionMs)
        } catch {
            return .failed(positionMs: positionMs, reason: "\(error)")
        }
    }

    /// How much of the item's sound may still be queued when it reports finished: the next
    /// item (a program's, a repeat) starts writing behind it before the card runs dry, so
    /// back-to-back items play without a gap. The player drains the rest when nothing follows.
    static let handoverSeconds: TimeInterval = 0.08

    /// On a paced output, waits until at most `handoverSeconds` of sound is queued, on the
    /// output's own clock, without draining (a cancel empties the queue and ends the wait). An
    /// unpaced one (a `type file` PCM) has no queue to hand over: it is drained, which also
    /// flushes what a plugin holds back.
    private func playOut() throws(AudioError) {
        guard let format = output.openFormat, format.sampleRate > 0 else { return }
        guard output.isPaced else { return try output.drain() }
        output.drain(leavingFrames: Int(Self.handoverSeconds * Double(format.sampleRate)))
    }

    private func play(path: String) -> Outcome {
        let file: AudioFileReader
        do { file = try AudioFileReader(path: path) } catch {
            return .failed(positionMs: fromMs, reason: "cannot read \(path): \(error)")
        }
        do {
            let decoder = try MP3Decoder()
            var skipFrames: Int?
            // 16 KB of MP3 is ~2.7 s of 48 kbit/s speech: one slice in memory, not the file.
            let slice = 16 * 1024
            while true {
                if isCancelled { return .cancelled(positionMs: positionMs) }
                let bytes = try file.read(upTo: slice)
                let pcm = try bytes.isEmpty ? decoder.finish() : decoder.decode(bytes)
                if let pcm, pcm.frameCount > 0 {
                    if skipFrames == nil {
                        try openIfNeeded(pcm.format)
                        try align(pcm.format)
                        if isCancelled { return .cancelled(positionMs: positionMs) }
                        skipFrames = Int(fromMs * Int64(pcm.format.sampleRate) / 1000)
                    }
                    try write(pcm, skipping: &skipFrames!)
                }
                if bytes.isEmpty { break }
            }
            if isCancelled { return .cancelled(positionMs: positionMs) }
            try playOut()
            return isCancelled ? .cancelled(positionMs: positionMs) : .finished(positionMs: positionMs)
        } catch {
            return .failed(positionMs: positionMs, reason: "\(error)")
        }
    }

    /// How late the first sample was handed over, in ms (0 when on time or not timed).
    public var lateMs: Int64 { lock.withLock { late } }
    private var late: Int64 = 0

    /// Holds the first sample until `startAt`, by the output's queue (see `StartAlignment`),
    /// and sets the time line the first sample starts (on a paced output).
    private func align(_ format: AudioFormat) throws(AudioError) {
        guard let startAt else {
            // Not timed: the line starts where the first sample really sounds.
            let queued = Int64(output.measuredDelay() * 1e9) / Int64(format.sampleRate)
            return follow(format, originNs: ReceivedLiveStream.nanoseconds(now()) + queued)
        }
        let target = ReceivedLiveStream.nanoseconds(startAt)
        switch StartAlignment.plan(target: startAt, now: now(), queuedFrames: output.delay(), sampleRate: format.sampleRate) {
        case .wait(let seconds):
            wakeup.wait(seconds: seconds)
            follow(format, originNs: target)
        case .silence(let frames):
            // Not counted in the position: it is before the item. On the line: it leads up to it.
            follow(format, originNs: target - Int64(frames) * 1_000_000_000 / Int64(format.sampleRate))
            try output.write(PCMBuffer(format: format, samples: [Float](repeating: 0, count: frames * format.channels)))
            timeline?.wrote(frames)
        case .late(let ms):
            lock.withLock { late = ms }
            // Never skip a bulletin's start: its line starts late, where it really sounds.
            follow(format, originNs: target + ms * 1_000_000)
        case .now:
            follow(format, originNs: target)
        }
    }

    private func follow(_ format: AudioFormat, originNs: Int64) {
        guard output.isPaced else { return }
        var settings = RateCorrector.Settings()
        settings.movesLineWhenLateAtStart = true
        timeline = PacedTimeline(itemId: itemId, rate: format.sampleRate, originNs: originNs, status: timelineStatus,
                                 settings: settings)
    }

    private func openIfNeeded(_ format: AudioFormat) throws {
        if output.openFormat != format { try output.open(format: format) }
        lock.withLock { rate = format.sampleRate }
    }

    private func write(_ pcm: PCMBuffer, skipping skip: inout Int) throws {
        var buffer = pcm
        if skip > 0 {
            let dropped = min(skip, buffer.frameCount)
            skip -= dropped
            buffer = buffer.frames(from: dropped, count: buffer.frameCount - dropped)
        }
        // Slices of ~100 ms so a cancel between writes is prompt even on outputs that do not
        // return early themselves.
        let step = max(1, buffer.format.sampleRate / 10)
        var start = 0
        while start < buffer.frameCount {
            if isCancelled { return }
            let count = min(step, buffer.frameCount - start)
            var slice = buffer.frames(from: start, count: count)
            if timeline != nil { (slice, _) = timeline!.prepare(slice, output: output, now: now) }
            if slice.frameCount > 0 { try output.write(slice) }
            timeline?.wrote(slice.frameCount)
            lock.withLock { framesWritten += count }
            start += count
        }
    }
}
