/// The as-played log.
public protocol PlayLogRepository: Sendable {
    /// Records the events, ignoring any whose event id is already stored; returns how many were new.
    @discardableResult
    func recordPlayEvents(_ events: [PlayEvent]) async throws(StoreError) -> Int
    func playEvents(_ query: PlayEventQuery) async throws(StoreError) -> PlayEventPage
}
