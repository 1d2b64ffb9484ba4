/// Every list answer: `{"items": [...], "next": "<cursor>"|null}`.
struct APIList<Item: Codable & Sendable>: Codable, Sendable {
    var items: [Item]
    @Nullable var next: String?

    init(items: [Item], next: String? = nil) {
        self.items = items
        self.next = next
    }
}

/// `limit` (default 100, at most 1000) and an offset `cursor`, for lists built in memory.
struct PageRequest: Sendable {
    var limit: Int
    var offset: Int

    static func from(limit: String?, cursor: String?) throws(APIError) -> PageRequest {
        var page = PageRequest(limit: 100, offset: 0)
        if let limit {
            guard let value = Int(limit), (1...1_000).contains(value) else { throw .validation("'limit' must be an integer from 1 to 1000") }
            page.limit = value
        }
        if let cursor {
            guard let value = Int(cursor), value >= 0 else { throw .validation("'cursor' is not one this API gave; start again without it") }
            page.offset = value
        }
        return page
    }

    func apply<T: Codable & Sendable>(_ all: [T]) -> APIList<T> {
        let slice = Array(all.dropFirst(offset).prefix(limit))
        let end = offset + slice.count
        return APIList(items: slice, next: end < all.count ? "\(end)" : nil)
    }
}
