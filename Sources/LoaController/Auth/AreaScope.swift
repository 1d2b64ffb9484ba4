/// The part of the area tree a user acts within: everything (an admin, or a user without an
/// area), or the subtree under their area. Built once per request from the store.
public struct AreaScope: Sendable, Equatable {
    /// The user's own area; nil for the whole system.
    public let root: String?
    /// The root and every area below it.
    public let subtree: Set<String>
    /// The areas above the root: their schedules and announcements reach the root, so they are visible.
    public let ancestors: Set<String>

    public static let everything = AreaScope(root: nil, subtree: [], ancestors: [])

    public init(root: String?, subtree: Set<String>, ancestors: Set<String>) {
        self.root = root
        self.subtree = subtree
        self.ancestors = ancestors
    }

    public var isEverything: Bool { root == nil }

    /// True when the area is the root or below it. A nil area (something system-wide, like a
    /// bulletin uploaded by an admin without an area) is covered only by the whole-system scope.
    public func covers(_ areaID: String?) -> Bool {
        guard let root else { return true }
        guard let areaID else { return false }
        return areaID == root || subtree.contains(areaID)
    }

    /// Covered, or above the root (what plays in the user's areas comes from there too).
    /// System-wide things are visible to everyone.
    public func canSee(_ areaID: String?) -> Bool {
        guard root != nil, let areaID else { return true }
        return covers(areaID) || ancestors.contains(areaID)
    }

    /// Strictly below the root: the areas an operator may rename or move. Not the root itself,
    /// which would let an operator move their own area (and themselves) elsewhere in the tree.
    public func isBelowRoot(_ areaID: String) -> Bool {
        guard let root else { return true }
        return areaID != root && subtree.contains(areaID)
    }
}
