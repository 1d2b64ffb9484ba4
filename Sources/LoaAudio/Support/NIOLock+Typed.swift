import NIOConcurrencyHelpers

extension NIOLock {
    /// Runs `body` holding the lock. Unlike `withLock` (rethrows, so any error comes out as
    /// `any Error`), this keeps the body's typed error, e.g. `AudioError`.
    func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
