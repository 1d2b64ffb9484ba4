/// Where a bulletin stands: drafted, approved for broadcast, or archived.
public enum BulletinState: String, Sendable, CaseIterable {
    case draft, approved, archived

    /// draft → approved → archived; a draft may also be archived without approval.
    /// Nothing leaves `archived`, and nothing goes back to `draft`.
    public func canTransition(to next: BulletinState) -> Bool {
        switch (self, next) {
        case (.draft, .approved), (.draft, .archived), (.approved, .archived): return true
        default: return false
        }
    }

    var verb: String {
        switch self {
        case .draft: return "draft"
        case .approved: return "approve"
        case .archived: return "archive"
        }
    }

    var article: String { self == .archived || self == .approved ? "an" : "a" }
}
