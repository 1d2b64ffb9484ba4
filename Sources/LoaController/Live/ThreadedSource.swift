import LoaAudio
import Logging
import NIOPosix

/// A live source whose reads block — an Icecast encoder's bytes decoded by FFmpeg, the
/// controller's microphone — run on a thread of its own (never the cooperative pool) into a
/// pump, until it ends, fails or the stream is stopped; then the stream ends with the source
/// (or, when nothing went on air, waits for another try). The relay has its own loop, since it
/// reconnects.
struct ThreadedSource {
    let streamID: Int64
    let hub: LiveHub
    let logger: Logger
    /// Opens the source, on its thread.
    let open: @Sendable () throws -> Void
    /// The next audio and the source bytes so far; nil at the end. On its thread.
    let read: @Sendable () throws -> (pcm: PCMBuffer?, bytes: Int)
    /// Ends a blocking read from elsewhere.
    let cancel: @Sendable () -> Void
    /// What the stored end reason says when the source fails ("source failed", "capture failed").
    let failureWord: String
    /// A source that fails before any audio ends the stream (a microphone that cannot be
    /// opened) instead of leaving it waiting for another try (an encoder that sent no audio).
    var failureBeforeAirEnds = false

    enum Outcome: Equatable { case ended, stopped, failed(String) }

    /// Feeds the stream; returns how the source ended, the stream already ended or detached.
    @discardableResult
    func run() async -> Outcome {
        let pump: LiveSourcePump
        do {
            pump = try LiveSourcePump(streamID: streamID, hub: hub, now: hub.now)
        } catch {
            await hub.end(streamID, reason: LiveEndReason.sourceEnded, storedReason: "\(failureWord): \(error)", origin: .controller)
            return .failed(error.description)
        }
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        var outcome = Outcome.ended
        do {
            try await thread.runIfActive { try open() }
            while true {
                let (pcm, bytes) = try await thread.runIfActive { try read() }
                guard let pcm else { break }
                guard try await pump.feed(pcm: pcm, upstreamBytes: bytes) else {
                    outcome = .stopped
                    break
                }
            }
        } catch {
            outcome = .failed("\(error)")
        }
        cancel()
        try? await thread.shutdownGracefully()
        switch outcome {
        case .stopped:
            return outcome  // stopped by an operator: the hub ended it
        case .failed(let reason) where !pump.onAir && failureBeforeAirEnds:
            await hub.end(streamID, reason: LiveEndReason.sourceEnded, storedReason: "\(failureWord): \(reason)", origin: .controller)
        case .ended where !pump.onAir, .failed where !pump.onAir:
            await hub.detachSource(streamID)
            logger.notice("live source gave no audio", metadata: ["live.id": "\(streamID)", "error": "\(outcome)"])
        case .ended:
            try? await pump.finishPCM()
            await hub.end(streamID, reason: LiveEndReason.sourceEnded, origin: .controller, closeSource: false)
        case .failed(let reason):
            await hub.end(streamID, reason: LiveEndReason.sourceEnded, storedReason: "\(failureWord): \(reason)", origin: .controller,
                          closeSource: false)
        }
        return outcome
    }
}
