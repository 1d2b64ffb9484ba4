import Foundation
import Synchronization

/// Runs ingest pipelines on threads of their own, as `IngestAdmission` decides, so the DSP of a
/// long upload never occupies Swift's cooperative pool (which serves HTTP) or an event loop.
/// Each pipeline gets a new `Thread` (an ingest lasts seconds to minutes; the thread costs
/// microseconds), and nothing is left running when the queue is dropped.
public final class IngestQueue: Sendable {
    private struct State {
        var admission: IngestAdmission
        var parked: [IngestAdmission.Ticket: CheckedContinuation<Void, Never>] = [:]
        var runs = 0
    }

    private let state: Mutex<State>

    public init(_ admission: IngestAdmission = IngestAdmission()) {
        state = Mutex(State(admission: admission))
    }

    /// A ticket, or the seconds to wait before trying again.
    public func admit() -> IngestAdmission.Admission {
        state.withLock { $0.admission.admit() }
    }

    /// Gives the ticket back without running (a refusal, a repeat upload, a failed body).
    public func release(_ ticket: IngestAdmission.Ticket) {
        let started = state.withLock { $0.admission.release(ticket) }
        resume(started)
    }

    /// Waits for a worker, runs `job` on a thread of its own, and gives the ticket back.
    public func run<T: Sendable>(_ ticket: IngestAdmission.Ticket, _ job: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (parked: CheckedContinuation<Void, Never>) in
            let start = state.withLock { state in
                let start = state.admission.requestStart(ticket)
                if start != .now { state.parked[ticket] = parked }
                return start
            }
            if start == .now { parked.resume() }
        }
        let began = ContinuousClock.now
        let result: T = await withCheckedContinuation { done in
            let thread = Thread {
                done.resume(returning: job())
            }
            thread.name = "loa-ingest"
            thread.stackSize = 1 << 20
            thread.start()
        }
        let seconds = (ContinuousClock.now - began).inSeconds
        let started = state.withLock { state in
            state.runs += 1
            return state.admission.finished(ticket, seconds: seconds)
        }
        resume(started)
        return result
    }

    /// Pipelines run to the end so far.
    public var completedRuns: Int { state.withLock { $0.runs } }

    /// The admission state (for tests and metrics).
    public var admission: IngestAdmission { state.withLock { $0.admission } }

    private func resume(_ tickets: [IngestAdmission.Ticket]) {
        let continuations = state.withLock { state in tickets.compactMap { state.parked.removeValue(forKey: $0) } }
        for continuation in continuations { continuation.resume() }
    }
}
