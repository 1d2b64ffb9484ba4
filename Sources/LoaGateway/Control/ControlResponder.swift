#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Request line in, answer line out: the whole of the control socket's logic, without a
/// socket, so it is tested directly. Never throws: every refusal is an answer with `error`.
public struct ControlResponder: Sendable {
    public let backend: any ControlBackend

    public init(backend: any ControlBackend) { self.backend = backend }

    /// Answers one request line (its newline already removed).
    public func answer(line: some Collection<UInt8>) -> [UInt8] {
        do throws(ControlError) { return answer(try ControlRequest.parse(line)).encoded } catch {
            return ControlAnswer.failure(error).encoded
        }
    }

    public func answer(_ request: ControlRequest) -> ControlAnswer {
        do throws(ControlError) {
            switch request {
            case .status:
                return ControlAnswer(status: backend.status())
            case .schedule(let count):
                return ControlAnswer(schedule: ScheduleListing.make(schedule: backend.storedSchedule(), now: backend.now(), count: count,
                                                                    isCached: { backend.isCached(sha256: $0) }))
            case .cache:
                return ControlAnswer(cache: CacheListing.make(entries: backend.cacheEntries(), quotaBytes: backend.cacheQuotaBytes,
                                                              schedule: backend.storedSchedule()))
            case .volume(let percent):
                if let percent { return ControlAnswer(volume: try backend.setVolume(percent)) }
                return ControlAnswer(volume: try backend.volume())
            case .testTone(let seconds, let frequencyHz):
                return ControlAnswer(testTone: try backend.testTone(frequencyHz: frequencyHz, durationMs: Int64((seconds * 1000).rounded())))
            case .logs(let lines):
                return ControlAnswer(logs: backend.recentLogs(lines))
            }
        } catch {
            return .failure(error)
        }
    }
}
