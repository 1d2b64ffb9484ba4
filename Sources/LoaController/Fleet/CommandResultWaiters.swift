import LoaProtocol
import NIOConcurrencyHelpers

/// Commands whose sender waits for the gateway's `commandResult`: each id has a slot filled by
/// the result (from the connection's worker) or by a timeout, whichever comes first.
final class CommandResultWaiters: Sendable {
    private enum Slot {
        case pending(CheckedContinuation<CommandResult?, Never>?)
        case arrived(CommandResult)
    }

    private let slots = NIOLockedValueBox<[String: Slot]>([:])

    /// Call before sending, so a quick answer is not missed.
    func expect(_ id: String) {
        slots.withLockedValue { $0[id] = .pending(nil) }
    }

    func forget(_ id: String) {
        finish(id, with: nil)
    }

    /// Delivers a result; false when nobody waits for that id.
    @discardableResult
    func deliver(_ result: CommandResult) -> Bool {
        let waiting = slots.withLockedValue { slots -> (Bool, CheckedContinuation<CommandResult?, Never>?) in
            guard case .pending(let continuation)? = slots[result.id] else { return (false, nil) }
            if let continuation {
                slots[result.id] = nil
                return (true, continuation)
            }
            slots[result.id] = .arrived(result)
            return (true, nil)
        }
        waiting.1?.resume(returning: result)
        return waiting.0
    }

    /// The result, or nil when it did not come within `seconds`.
    func wait(_ id: String, seconds: Double) async -> CommandResult? {
        let timeout = Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            self.finish(id, with: nil)
        }
        defer { timeout.cancel() }
        return await withCheckedContinuation { continuation in
            let ready = slots.withLockedValue { slots -> CommandResult?? in
                switch slots[id] {
                case .arrived(let result)?:
                    slots[id] = nil
                    return .some(result)
                case .pending?:
                    slots[id] = .pending(continuation)
                    return nil
                case nil:
                    return .some(nil)
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func finish(_ id: String, with result: CommandResult?) {
        let continuation = slots.withLockedValue { slots -> CheckedContinuation<CommandResult?, Never>? in
            guard case .pending(let continuation)? = slots[id] else {
                slots[id] = nil
                return nil
            }
            slots[id] = nil
            return continuation
        }
        continuation?.resume(returning: result)
    }
}
