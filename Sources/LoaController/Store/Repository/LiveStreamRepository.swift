import Foundation

/// Live streams and their lifecycle (waiting → on-air → ended).
public protocol LiveStreamRepository: Sendable {
    func createLiveStream(_ new: NewLiveStream, origin: AuditOrigin) async throws(StoreError) -> LiveStream
    func liveStream(_ id: Int64) async throws(StoreError) -> LiveStream
    /// Every stream not ended, and the newest `endedLimit` ended ones; newest first.
    func liveStreams(endedLimit: Int) async throws(StoreError) -> [LiveStream]
    /// waiting → on-air at `at`; a stream in another state is left alone (and returned as it is).
    func markLiveStreamOnAir(_ id: Int64, at: Date) async throws(StoreError) -> LiveStream
    /// Ends a waiting or on-air stream with its reason and the source bytes received; audited
    /// as `live.end` by `origin`. An ended stream is returned unchanged.
    func endLiveStream(_ id: Int64, at: Date, reason: String, bytesReceived: Int64,
                       origin: AuditOrigin) async throws(StoreError) -> LiveStream
    /// At start: ends every stream a previous run left waiting or on-air; returns their ids.
    func endAbandonedLiveStreams(at: Date, reason: String) async throws(StoreError) -> [Int64]
}
