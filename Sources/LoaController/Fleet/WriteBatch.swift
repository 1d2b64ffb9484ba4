/// What the fleet gathers for one database transaction (health reports, as-played events from
/// many gateways): written when `maxItems` wait, or when the first has waited `maxDelayNs`.
/// Pure; times are monotonic ns from the caller (issue 14: one transaction per report was one
/// writer round trip per gateway).
struct WriteBatch<Item> {
    let maxItems: Int
    let maxDelayNs: UInt64
    private(set) var items: [Item] = []
    /// When the first waiting item came.
    private(set) var openedAt: UInt64?

    enum Step: Equatable {
        /// Full: write now.
        case writeNow
        /// The first item of a new batch: write at this instant unless it fills first.
        case writeAt(UInt64)
        /// A write is already due for this batch.
        case waiting
    }

    init(maxItems: Int, maxDelayNs: UInt64) {
        self.maxItems = max(1, maxItems)
        self.maxDelayNs = maxDelayNs
    }

    mutating func add(_ item: Item, now: UInt64) -> Step {
        items.append(item)
        if items.count >= maxItems { return .writeNow }
        guard openedAt == nil else { return .waiting }
        openedAt = now
        return .writeAt(now &+ maxDelayNs)
    }

    /// The waiting items, leaving the batch empty.
    mutating func take() -> [Item] {
        defer {
            items = []
            openedAt = nil
        }
        return items
    }
}
