/// The as-played log.
public protocol PlayLogRepository: Sendable {
    /// Records a gateway's events, ignoring any whose event id is already stored; returns how
    /// many were new. A gateway's event for an item deletes the controller's own record of it
    /// (a `missed` for an offline gateway), in the same transaction.
    @discardableResult
    func recordPlayEvents(_ events: [PlayLogEntry]) async throws(StoreError) -> Int
    /// Records the controller's `missed` events, each only when its gateway has no event at all
    /// for the item; returns how many were new.
    @discardableResult
    func recordMissedByController(_ events: [PlayLogEntry]) async throws(StoreError) -> Int
    func playEvents(_ query: PlayEventQuery) async throws(StoreError) -> PlayEventPage
    /// One row per (gateway, item), newest first by the life's first event; the query's filters
    /// and cursor apply to that first event.
    func playOutcomes(_ query: PlayEventQuery) async throws(StoreError) -> PlayOutcomePage
}
