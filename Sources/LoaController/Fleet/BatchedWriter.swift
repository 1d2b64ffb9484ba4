import NIOCore

/// Writes items submitted one at a time from many connection workers in few transactions:
/// `submit` returns once its item's batch is committed (so an as-played ack still follows the
/// write). When a batch fails, its items are written one by one, so one bad item (a gateway
/// deleted meanwhile) fails alone.
actor BatchedWriter<Item: Sendable> {
    typealias Commit = @Sendable ([Item]) async throws(StoreError) -> Void

    private var batch: WriteBatch<(item: Item, done: CheckedContinuation<Result<Void, StoreError>, Never>)>
    private let commit: Commit

    init(maxItems: Int = 256, maxDelay: Duration = .milliseconds(50), commit: @escaping Commit) {
        let ns = UInt64(maxDelay.components.seconds) * 1_000_000_000 + UInt64(maxDelay.components.attoseconds / 1_000_000_000)
        self.batch = WriteBatch(maxItems: maxItems, maxDelayNs: ns)
        self.commit = commit
    }

    func submit(_ item: Item) async throws(StoreError) {
        let result = await withCheckedContinuation { done in assumeIsolated { $0.add(item, done) } }
        try result.get()
    }

    private func add(_ item: Item, _ done: CheckedContinuation<Result<Void, StoreError>, Never>) {
        switch batch.add((item, done), now: NIODeadline.now().uptimeNanoseconds) {
        case .writeNow:
            Task { await self.write() }
        case .writeAt(let deadline):
            let wait = deadline &- NIODeadline.now().uptimeNanoseconds
            Task {
                try? await Task.sleep(for: .nanoseconds(Int64(min(wait, UInt64(Int64.max)))))
                await self.write()
            }
        case .waiting:
            break
        }
    }

    private func write() async {
        let taken = batch.take()
        guard !taken.isEmpty else { return }
        do {
            try await commit(taken.map(\.item))
            for entry in taken { entry.done.resume(returning: .success(())) }
        } catch {
            for entry in taken {
                do throws(StoreError) {
                    try await commit([entry.item])
                    entry.done.resume(returning: .success(()))
                } catch {
                    entry.done.resume(returning: .failure(error))
                }
            }
        }
    }
}
