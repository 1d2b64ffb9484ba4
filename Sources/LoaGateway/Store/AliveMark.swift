#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaService
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// When the player last knew itself alive, in `<state>/alive` (one line: controller time in
/// milliseconds since 1970). The player rewrites it about once a second, in place and without
/// fsync: the page cache outlives kill -9, so only a power cut can leave it a few seconds
/// stale. At the next start it bounds the outage: a play open in the journal sounded until
/// then, and occurrences after it were missed.
public final class AliveMark: @unchecked Sendable {
    public let path: String
    private let lock = NIOLock()
    private var descriptor: Int32 = -1

    public init(stateDirectory: String) { path = stateDirectory + "/alive" }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// The mark left by the previous run; nil when there is none (a first start, or a gateway
    /// from before the mark existed) or it cannot be read.
    public func load() -> Date? {
        guard let data = FileManager.default.contents(atPath: path),
              let ms = Int64(String(decoding: data, as: UTF8.self).trimmingWhitespace), ms > 0
        else { return nil }
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    /// Records `now`. Best effort: returns false when the file cannot be written (the outage
    /// after a crash is then bounded by an older mark).
    @discardableResult
    public func write(_ now: Date) -> Bool {
        let ms = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        // Fixed width, so an in-place rewrite never leaves the tail of a longer value behind.
        let line = Array((String(repeating: "0", count: max(0, 15 - "\(ms)".count)) + "\(ms)\n").utf8)
        return lock.withLock {
            if descriptor < 0 { descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
            guard descriptor >= 0 else { return false }
            return line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) } == line.count
        }
    }
}
