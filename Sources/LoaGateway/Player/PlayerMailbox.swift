#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// Everything the player shares with other threads, and nothing else: the inputs queued for
/// the player thread, the status it publishes for health and the control socket, and whether
/// its thread runs. One lock guards all of it; the player's own state lives in `PlayerLoop`,
/// which only its owner touches.
final class PlayerMailbox: @unchecked Sendable {
    private let lock = NIOLock()
    private var inbox: [PlayerService.Input] = []
    private var published = PlayerService.Status()
    /// The live stream that started last: the health report follows its reception.
    private var latestLiveStream: ReceivedLiveStream?
    private var toneCount = 0
    private var threadStarted = false
    private let wake = Wakeup()

    /// Queues an input and wakes the player.
    func post(_ input: PlayerService.Input) {
        lock.withLock { inbox.append(input) }
        wake.signal()
    }

    /// The inputs queued since the last call, in order.
    func take() -> [PlayerService.Input] {
        lock.withLock {
            defer { inbox.removeAll() }
            return inbox
        }
    }

    /// Sleeps the player thread until an input arrives or `seconds` pass.
    func waitForInput(seconds: TimeInterval) {
        wake.wait(seconds: seconds)
    }

    var status: PlayerService.Status {
        let (value, live) = lock.withLock { (published, latestLiveStream) }
        var status = value
        status.liveReception = live?.reception
        return status
    }

    /// The player thread publishes a change of what it is doing.
    func publish(_ change: (inout PlayerService.Status) -> Void) { lock.withLock { change(&published) } }

    func follow(_ stream: ReceivedLiveStream) { lock.withLock { latestLiveStream = stream } }

    /// Numbers test tones, which any thread may queue.
    func nextToneNumber() -> Int {
        lock.withLock {
            toneCount += 1
            return toneCount
        }
    }

    /// Marks the player thread as started; false if it already was.
    func claimThread() -> Bool {
        lock.withLock {
            defer { threadStarted = true }
            return !threadStarted
        }
    }

    var isThreadStarted: Bool { lock.withLock { threadStarted } }
}
