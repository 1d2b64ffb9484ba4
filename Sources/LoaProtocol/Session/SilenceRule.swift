/// When a ready session counts as silent (`heartbeatTimeout`, 20), judged when its idle check
/// comes due. Pure: times are monotonic nanoseconds from the caller's clock.
///
/// Silence is measured from when the session's last frame was read, not from when a timer
/// was armed; and a check that runs late by more than `starvedAfter` passes no judgement: a
/// late check means the event loop was busy, so frames the gateway sent in time may still be
/// waiting unread in the socket (issue 14: at 19 000 gateways a starved loop closed 12 693
/// healthy sessions as silent). It looks again once the loop has caught up.
public struct SilenceRule: Equatable, Sendable {
    /// Nothing read for this long is silence (three heartbeats by default).
    public var windowNs: UInt64
    /// A check this late after its due time was delayed by a busy loop: no judgement.
    public var starvedAfterNs: UInt64

    public enum Verdict: Equatable, Sendable {
        /// Close the session: nothing arrived for the whole window, judged on time.
        case silent
        /// Not (yet) silent, or not judged: check again at this instant.
        case checkAt(UInt64)
    }

    public init(windowNs: UInt64, starvedAfterNs: UInt64 = 1_000_000_000) {
        self.windowNs = windowNs
        self.starvedAfterNs = starvedAfterNs
    }

    /// The verdict of a check that was due at `due`, runs at `now`, with the last frame read at `lastHeard`.
    public func judge(lastHeard: UInt64, due: UInt64, now: UInt64) -> Verdict {
        let deadline = lastHeard &+ windowNs
        if now < deadline { return .checkAt(deadline) }
        if now > due, now - due > starvedAfterNs { return .checkAt(now &+ starvedAfterNs) }
        return .silent
    }
}
