#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import LoaAudio
import LoaProtocol
import LoaSchedule

/// One live stream the gateway knows (a `liveStart` received): its parameters and its
/// `LiveJitterBuffer`, shared by the player thread (which inserts what the link delivers) and
/// the stream's `LiveRenderer` thread (which takes what to play). Every access holds one lock.
public final class ReceivedLiveStream: @unchecked Sendable {
    public let start: LiveStart
    public let itemId: String
    private let lock = NIOLock()
    private var buffer: LiveJitterBuffer
    /// Signalled on every insert, end and cancel, so a renderer waiting for time or audio looks again.
    let changed = Wakeup()

    public init(start: LiveStart, capacity: Int = 256) {
        self.start = start
        self.itemId = Self.itemId(start.streamId)
        self.buffer = LiveJitterBuffer(sampleRate: Int(start.sampleRate), startAt: start.startAt * 1_000_000, capacity: capacity)
    }

    /// The item id of stream `streamId` in play events and the controller's play log.
    public static func itemId(_ streamId: UInt32) -> String { "live-\(streamId)" }

    /// The stream id in a `live-<id>` item id, nil for any other item.
    public static func streamId(of itemId: String) -> UInt32? {
        guard itemId.hasPrefix("live-") else { return nil }
        return UInt32(itemId.dropFirst(5))
    }

    /// The format `liveStart` announced (the decoder's is used once known).
    public var format: AudioFormat { AudioFormat(sampleRate: Int(start.sampleRate), channels: max(1, Int(start.channels))) }

    /// The item the arbiter sees: open-ended, due at `startAt`, never expiring (`liveEnd` ends it).
    public var playItem: PlayItem {
        PlayItem(id: itemId, kind: .live, content: nil, priority: Priority(rawValue: start.priority), durationMs: nil,
                 onBusy: OnBusy(rawValue: start.onBusy.rawValue) ?? .preempt,
                 onInterrupt: OnInterrupt(rawValue: start.onInterrupt.rawValue) ?? .drop,
                 due: Date(timeIntervalSince1970: TimeInterval(start.startAt) / 1000), expiresAt: nil)
    }

    public func insert(_ payload: LiveJitterBuffer.Payload, now: Date) -> LiveJitterBuffer.Insertion {
        let result = lock.withLock { buffer.insert(payload, now: Self.nanoseconds(now)) }
        changed.signal()
        return result
    }

    public func end() {
        lock.withLock { buffer.end() }
        changed.signal()
    }

    public var ended: Bool { lock.withLock { buffer.ended } }
    public var isEmpty: Bool { lock.withLock { buffer.isEmpty } }
    public var lostPayloads: UInt64 { lock.withLock { buffer.lostPayloads } }
    public var latePayloads: UInt64 { lock.withLock { buffer.latePayloads } }
    /// The counts so far, for the health report.
    public var reception: LiveReception {
        lock.withLock {
            LiveReception(streamId: start.streamId, receivedPayloads: buffer.receivedPayloads,
                          lostPayloads: buffer.lostPayloads, latePayloads: buffer.latePayloads,
                          bufferMs: buffer.lastMargin.map { $0 / 1_000_000 }, leastBufferMs: buffer.leastMargin.map { $0 / 1_000_000 })
        }
    }

    func next(cursor: Int64) -> LiveJitterBuffer.Decision { lock.withLock { buffer.next(cursor: cursor) } }
    func silenceWritten() { lock.withLock { buffer.silenceWritten() } }
    func reanchor() { lock.withLock { buffer.reanchor() } }
    func wake() { changed.signal() }

    static func nanoseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1e9).rounded()) }
}
