import Foundation

/// Polls `condition` every `intervalMs` until it holds or `timeout` passes; whether it held.
/// It sleeps with `Task.sleep`, so a long wait does not hold one of the few cooperative
/// threads the other tests need (two on a two-core machine).
func poll(_ timeout: TimeInterval, every intervalMs: UInt64 = 50, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: intervalMs * 1_000_000)
    }
    return condition()
}
