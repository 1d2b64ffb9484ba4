import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The loudspeaker of a test gateway: a FIFO the gateway's ALSA `type file` PCM writes into,
/// read at the audio's real rate. A file PCM alone is not paced (seconds of audio "play" in
/// milliseconds), so nothing could preempt anything; reading the pipe at `bytesPerSecond` makes
/// the gateway's blocking ALSA writes take real time, as on a card. What is read is kept, with
/// the time the first sound arrived.
final class PacedSink: @unchecked Sendable {
    let path: String
    let bytesPerSecond: Int
    private let fd: Int32
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var firstSound: Date?
    /// When each sounding chunk arrived: (its first sample's index, time), for `firstSoundAt(after:)`.
    private var soundChunks: [(index: Int, at: Date)] = []
    private var reader: Task<Void, Never>?
    /// Where the loudspeaker ran dry mid-sound: the sample index where sound came back, and how
    /// long the pipe had nothing to give while the reader wanted audio (a gap in time that
    /// leaves no silent samples behind: an output drained and restarted between items).
    private var starvations: [(index: Int, seconds: Double)] = []

    init(path: String, bytesPerSecond: Int = 48_000) throws {
        self.path = path
        self.bytesPerSecond = bytesPerSecond
        guard mkfifo(path, 0o644) == 0 else { throw HarnessError("mkfifo \(path): \(String(cString: strerror(errno)))") }
        // Read end open (non-blocking) before the gateway opens the write end, so its open never waits.
        fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw HarnessError("open \(path): \(String(cString: strerror(errno)))") }
        // A one-page pipe: the gateway is at most ~40 ms ahead of "the speaker".
        _ = fcntl(fd, 1031 /* F_SETPIPE_SZ */, 4096)
        reader = Task.detached { [weak self] in await self?.pump() }
    }

    private func pump() async {
        var budget = 0.0
        var last = Date()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var dryFrom: Date?
        while !Task.isCancelled {
            let now = Date()
            // A token bucket capped at 0.2 s, so an idle gap does not turn into a burst.
            budget = min(budget + now.timeIntervalSince(last) * Double(bytesPerSecond), 0.2 * Double(bytesPerSecond))
            last = now
            let want = min(Int(budget) & ~1, buffer.count)
            if want > 0 {
                let count = read(fd, &buffer, want)
                if count <= 0, dryFrom == nil, lock.withLock({ firstSound != nil }) { dryFrom = now }
                if count > 0 {
                    if let dry = dryFrom {
                        dryFrom = nil
                        lock.withLock { starvations.append((bytes.count / 2, now.timeIntervalSince(dry))) }
                    }
                    budget -= Double(count)
                    let chunk = buffer[0..<count]
                    lock.withLock {
                        if chunk.contains(where: { $0 != 0 }) {
                            if firstSound == nil { firstSound = now }
                            soundChunks.append((bytes.count / 2, now))
                        }
                        bytes += chunk
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Everything played so far, as 16-bit little-endian samples.
    var samples: [Int16] {
        let raw = lock.withLock { bytes }
        return stride(from: 0, to: raw.count - 1, by: 2).map { Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8) }
    }

    var byteCount: Int { lock.withLock { bytes.count } }

    /// When the first non-silent sample came out (nil: silence so far).
    var firstSoundAt: Date? { lock.withLock { firstSound } }

    /// When the first sound after sample `mark` came out (the arrival of its chunk; nil: none yet).
    func firstSoundAt(after mark: Int) -> Date? {
        lock.withLock { soundChunks.first { $0.index >= mark }?.at }
    }

    /// The longest time the loudspeaker waited for audio with sound resuming at a sample in
    /// `range` (seconds; 0 when it never ran dry there).
    func longestStarvation(in range: Range<Int>) -> Double {
        lock.withLock { starvations.filter { range.contains($0.index) }.map(\.seconds).max() ?? 0 }
    }

    func close() {
        reader?.cancel()
        reader = nil
    }

    deinit {
        reader?.cancel()
        Glibc.close(fd)
    }
}
