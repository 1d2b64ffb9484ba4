import Foundation
import LoaProtocol

/// What the controller keeps of the health reports a gateway sends: each report clamped field
/// by field, and at most a bounded rate per gateway. A gateway (faulty, or in hostile hands)
/// that sends 1 MiB reports back to back must not fill the database or make the gateway's API
/// answer megabytes. Pure and clock-injected: the fleet passes `now`.
public struct HealthIntake: Sendable {
    /// Limits, with defaults well above what a healthy gateway sends: a full report every 15
    /// minutes plus one on each change (a play starting, an error, a live loss).
    public struct Limits: Sendable, Equatable {
        /// Reports accepted in a burst.
        public var burst: Int
        /// One more report is accepted every this many seconds once the burst is spent.
        public var refillSeconds: Double
        /// Characters kept of each text field (`alsaState`, `nowPlaying`, `softwareVersion`).
        public var maxTextCharacters: Int
        /// Entries kept of `lastErrors` (the newest), and characters of each.
        public var maxErrors: Int
        public var maxErrorCharacters: Int

        public init(burst: Int = 20, refillSeconds: Double = 15, maxTextCharacters: Int = 128,
                    maxErrors: Int = 10, maxErrorCharacters: Int = 300) {
            self.burst = burst
            self.refillSeconds = refillSeconds
            self.maxTextCharacters = maxTextCharacters
            self.maxErrors = maxErrors
            self.maxErrorCharacters = maxErrorCharacters
        }
    }

    /// What to do with one report.
    public enum Decision: Equatable, Sendable {
        /// Store this (clamped) report; `clamped` says whether anything was cut.
        case store(HealthReport, clamped: Bool)
        /// Over the rate: drop it. `firstInWindow` is true for the first drop after an accepted
        /// report, so the fleet logs once per flood rather than once per report.
        case drop(firstInWindow: Bool)
    }

    public var limits: Limits
    private var buckets: [String: Bucket] = [:]

    private struct Bucket: Sendable {
        var tokens: Double
        var updated: Date
        var dropping: Bool
    }

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public mutating func admit(_ report: HealthReport, from gatewayID: String, now: Date) -> Decision {
        var bucket = buckets[gatewayID] ?? Bucket(tokens: Double(limits.burst), updated: now, dropping: false)
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(Double(limits.burst), bucket.tokens + elapsed / max(0.001, limits.refillSeconds))
        bucket.updated = now
        defer { buckets[gatewayID] = bucket }
        guard bucket.tokens >= 1 else {
            let first = !bucket.dropping
            bucket.dropping = true
            return .drop(firstInWindow: first)
        }
        bucket.tokens -= 1
        bucket.dropping = false
        let clamped = clamp(report)
        return .store(clamped, clamped: clamped != report)
    }

    /// Forgets gateways whose bucket has been full again for a while (bounded memory).
    public mutating func prune(now: Date) {
        let full = Double(limits.burst) * limits.refillSeconds
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < full }
    }

    public func clamp(_ report: HealthReport) -> HealthReport {
        var report = report
        report.alsaState = report.alsaState.map { cut($0, limits.maxTextCharacters) }
        report.nowPlaying = report.nowPlaying.map { cut($0, limits.maxTextCharacters) }
        report.softwareVersion = report.softwareVersion.map { cut($0, limits.maxTextCharacters) }
        report.lastErrors = report.lastErrors.map { errors in
            errors.suffix(limits.maxErrors).map { cut($0, limits.maxErrorCharacters) }
        }
        return report
    }

    private func cut(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
