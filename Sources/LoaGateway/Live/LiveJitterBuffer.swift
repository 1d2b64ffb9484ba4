#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The timing of one live stream at the gateway, as a value: holds received payloads by
/// sequence, counts losses (sequence gaps), and decides for the instant at which the next
/// written sample will sound (`cursor`, controller clock) whether to play the next payload,
/// join it late (skip its start), drop it as late, wait (silence) until its presentation time,
/// or report that nothing is there (the source is quiet). Nothing here reads a clock, sleeps,
/// decodes or plays: the `LiveRenderer` asks and performs.
///
/// Playing is continuous: once a payload has played, the next sequence plays straight after it
/// whatever its timestamp (one decoder, no clicks), unless it drifted more than `maxDriftNs`.
/// After a loss (sequence gap) or an underrun (silence written because nothing was there) the
/// stream re-anchors on presentation times: payloads whose time has passed are dropped, one that
/// is partly past is joined late, one that is ahead waits (silence) until its time.
public struct LiveJitterBuffer: Sendable {
    /// One received `liveAudio`: whole MP3 frames and when their first sample should sound.
    public struct Payload: Sendable, Equatable {
        public var sequence: UInt32
        /// Controller clock, ns since the Unix epoch.
        public var presentationTime: Int64
        /// PCM frames (samples per channel) its MP3 frames decode to.
        public var frames: Int
        public var mp3: [UInt8]

        public init(sequence: UInt32, presentationTime: Int64, frames: Int, mp3: [UInt8]) {
            self.sequence = sequence
            self.presentationTime = presentationTime
            self.frames = frames
            self.mp3 = mp3
        }
    }

    /// What the renderer should do next.
    public enum Decision: Sendable, Equatable {
        /// Decode `payload` and write its sound, without its first `skipFrames` (joined late).
        case play(Payload, skipFrames: Int)
        /// Nothing to write before `until` (controller ns): the next payload's time, or the
        /// stream's start. A running output writes silence up to then; an idle one waits.
        case wait(until: Int64)
        /// Nothing buffered: the source is quiet (an underrun once queued sound runs out).
        case dry
        /// `liveEnd` came and everything buffered has been handed out.
        case drained
    }

    /// What became of a received payload.
    public enum Insertion: Sendable, Equatable {
        /// Buffered; `lost` payloads are missing before it (a sequence gap).
        case queued(lost: UInt32)
        /// Its sequence is already buffered or played.
        case duplicate
        /// Its sound would end before `now`: it can never play.
        case late
        /// Arrived after `liveEnd`.
        case afterEnd
    }

    public let sampleRate: Int
    /// Controller ns at which the stream's first sample sounds (`liveStart.startAt`).
    public let startAt: Int64
    /// Payloads held at most (the oldest go first); 256 × ~240 ms is about a minute.
    public let capacity: Int
    /// A payload this close to the cursor plays as it is (no skip, no silence).
    public static let toleranceNs: Int64 = 20_000_000
    /// A contiguous payload further than this from the cursor re-anchors (clock step, xrun).
    public static let maxDriftNs: Int64 = 150_000_000

    /// Buffered payloads, sorted by sequence.
    public private(set) var queued: [Payload] = []
    public private(set) var ended = false
    /// Payloads received, duplicates and those after the end not counted.
    public private(set) var receivedPayloads: UInt64 = 0
    /// How long before its presentation time the newest payload arrived, and the least any
    /// payload had (negative: late): the buffer the link leaves, and with it the smallest live
    /// delay that would play without gaps (the delay minus the least margin).
    public private(set) var lastMargin: Int64?
    public private(set) var leastMargin: Int64?
    /// Payloads missing from the sequence (never received).
    public private(set) var lostPayloads: UInt64 = 0
    /// Payloads received but dropped because their time had passed (or the buffer was full).
    public private(set) var latePayloads: UInt64 = 0
    /// Highest sequence received so far.
    private var highestReceived: UInt32?
    /// Last sequence handed out to play.
    private var lastPlayed: UInt32?
    /// Set after a payload is handed out and until silence is written: the next sequence then
    /// follows without looking at its timestamp.
    private var anchored = false

    public init(sampleRate: Int, startAt: Int64, capacity: Int = 256) {
        self.sampleRate = max(1, sampleRate)
        self.startAt = startAt
        self.capacity = max(1, capacity)
    }

    /// Nothing is buffered.
    public var isEmpty: Bool { queued.isEmpty }

    /// Controller ns at which `payload`'s sound ends.
    public func endTime(of payload: Payload) -> Int64 { payload.presentationTime + nanoseconds(frames: payload.frames) }

    public func nanoseconds(frames: Int) -> Int64 { Int64(frames) * 1_000_000_000 / Int64(sampleRate) }

    public func frames(nanoseconds: Int64) -> Int { Int(nanoseconds * Int64(sampleRate) / 1_000_000_000) }

    /// A payload arrived at `now` (controller ns).
    public mutating func insert(_ payload: Payload, now: Int64) -> Insertion {
        if ended { return .afterEnd }
        if let lastPlayed, payload.sequence <= lastPlayed { return .duplicate }
        if queued.contains(where: { $0.sequence == payload.sequence }) { return .duplicate }
        receivedPayloads += 1
        let margin = payload.presentationTime - now
        lastMargin = margin
        leastMargin = min(leastMargin ?? margin, margin)
        var lost: UInt32 = 0
        if let highest = highestReceived {
            if payload.sequence > highest {
                lost = payload.sequence - highest - 1
                highestReceived = payload.sequence
            }
        } else {
            highestReceived = payload.sequence
        }
        lostPayloads += UInt64(lost)
        // Counted as lost even if it cannot play: it did arrive, so the gap before it was real.
        guard endTime(of: payload) > now else {
            latePayloads += 1
            return .late
        }
        let index = queued.firstIndex { $0.sequence > payload.sequence } ?? queued.count
        queued.insert(payload, at: index)
        if queued.count > capacity {
            queued.removeFirst()
            latePayloads += 1
        }
        return .queued(lost: lost)
    }

    /// The stream ended on purpose (`liveEnd`): what is buffered still plays.
    public mutating func end() { ended = true }

    /// The renderer wrote silence (nothing to play, or waiting for a payload's time): the next
    /// payload is placed by its presentation time, not appended.
    public mutating func silenceWritten() { anchored = false }

    /// A new renderer takes over (the item starts or resumes): place the next payload by time.
    public mutating func reanchor() { anchored = false }

    /// What to do for sound that would start at `cursor` (controller ns).
    public mutating func next(cursor: Int64) -> Decision {
        if let lastPlayed {
            let stale = queued.prefix { $0.sequence <= lastPlayed }.count
            queued.removeFirst(stale)
        }
        while let head = queued.first {
            let offset = head.presentationTime - cursor
            if anchored, let lastPlayed, head.sequence == lastPlayed &+ 1, abs(offset) <= Self.maxDriftNs {
                return hand(head, skip: 0)
            }
            if offset > 1_000_000 { return .wait(until: head.presentationTime) }
            if offset >= -Self.toleranceNs { return hand(head, skip: 0) }
            let skip = frames(nanoseconds: -offset)
            if skip < head.frames { return hand(head, skip: skip) }
            queued.removeFirst()
            latePayloads += 1
        }
        if ended { return .drained }
        if cursor < startAt - 1_000_000 { return .wait(until: startAt) }
        return .dry
    }

    private mutating func hand(_ payload: Payload, skip: Int) -> Decision {
        queued.removeFirst()
        lastPlayed = payload.sequence
        anchored = true
        return .play(payload, skipFrames: skip)
    }
}
