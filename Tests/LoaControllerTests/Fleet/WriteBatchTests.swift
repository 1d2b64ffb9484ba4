import NIOConcurrencyHelpers
import Testing
@testable import LoaController

/// The fleet's batched database writes (issue 14): when a batch is written, and that one bad
/// item fails alone.
@Suite struct WriteBatchTests {
    @Test func theFirstItemSetsTheDeadlineAndAFullBatchIsWrittenAtOnce() {
        var batch = WriteBatch<Int>(maxItems: 3, maxDelayNs: 50)
        #expect(batch.add(1, now: 1000) == .writeAt(1050))
        #expect(batch.add(2, now: 1010) == .waiting)
        #expect(batch.add(3, now: 1020) == .writeNow)
        #expect(batch.take() == [1, 2, 3])
        #expect(batch.items.isEmpty && batch.openedAt == nil)
        #expect(batch.add(4, now: 2000) == .writeAt(2050), "the next batch has a deadline of its own")
    }

    @Test func aBatchOfOneIsWrittenWhenFull() {
        var batch = WriteBatch<Int>(maxItems: 1, maxDelayNs: 50)
        #expect(batch.add(1, now: 0) == .writeNow)
    }

    @Test func concurrentSubmissionsShareTransactions() async throws {
        let batches = NIOLockedValueBox<[[Int]]>([])
        let writer = BatchedWriter<Int>(maxItems: 50, maxDelay: .milliseconds(20)) { items throws(StoreError) in
            batches.withLockedValue { $0.append(items) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 { group.addTask { try await writer.submit(i) } }
            try await group.waitForAll()
        }
        let written = batches.withLockedValue { $0 }
        #expect(written.flatMap { $0 }.sorted() == Array(0..<200))
        #expect(written.count <= 20, "200 submissions in \(written.count) transactions")
    }

    @Test func aFailingItemFailsAloneAndTheOthersAreWritten() async {
        let stored = NIOLockedValueBox<[Int]>([])
        let writer = BatchedWriter<Int>(maxItems: 10, maxDelay: .milliseconds(20)) { items throws(StoreError) in
            if items.contains(13) { throw StoreError.notFound(kind: "gateway", id: "13") }
            stored.withLockedValue { $0 += items }
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for i in 10..<16 {
                group.addTask {
                    do throws(StoreError) { try await writer.submit(i); return (i, true) } catch { return (i, false) }
                }
            }
            var results: [Int: Bool] = [:]
            for await (i, ok) in group { results[i] = ok }
            return results
        }
        #expect(results.filter { !$0.value }.map(\.key) == [13])
        #expect(stored.withLockedValue { $0 }.sorted() == [10, 11, 12, 14, 15])
    }
}
