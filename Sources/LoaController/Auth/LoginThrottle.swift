import Foundation

/// Failed logins per key (username and address): after `maxFailures` within `window` the key is
/// refused until the oldest of those failures leaves the window. A value type with no clock of
/// its own: the caller passes `now`.
public struct LoginThrottle: Sendable {
    public var maxFailures: Int
    public var window: TimeInterval
    /// Keys kept at most; beyond it, keys with only stale failures are dropped first.
    public var maxKeys: Int
    private var failures: [String: [Date]] = [:]

    public init(maxFailures: Int = 5, window: TimeInterval = 300, maxKeys: Int = 100_000) {
        self.maxFailures = maxFailures
        self.window = window
        self.maxKeys = maxKeys
    }

    public static func key(username: String, address: String?) -> String {
        "\(username.lowercased())|\(address ?? "unknown")"
    }

    /// Seconds to wait (rounded up, at least 1) when the key is locked out; nil when it may try.
    public mutating func retryAfter(_ key: String, now: Date) -> Int? {
        let recent = prune(key, now: now)
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }

    public mutating func recordFailure(_ key: String, now: Date) {
        if failures.count >= maxKeys { failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } } }
        failures[key, default: []].append(now)
        _ = prune(key, now: now)
    }

    public mutating func recordSuccess(_ key: String) {
        failures[key] = nil
    }

    /// Failures of `key` still inside the window, oldest first.
    private mutating func prune(_ key: String, now: Date) -> [Date] {
        guard let list = failures[key] else { return [] }
        let recent = list.filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
