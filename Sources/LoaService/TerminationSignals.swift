import Dispatch
import Foundation

/// SIGTERM, SIGINT and SIGHUP as an async sequence, the same for both daemons. Their default
/// actions (exit at once; SIGHUP would kill the process) are disabled when the stream is made,
/// so make it before anything that a signal arriving during start-up could interrupt.
public enum TerminationSignals {
    /// Signals to stop on; SIGHUP asks for a reload or a recheck.
    public static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    public static func stream() -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = SignalSources(handled.map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        })
        continuation.onTermination = { _ in sources.cancel() }
        return stream
    }
}

/// Keeps the signal sources alive for as long as the stream is consumed.
final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}
