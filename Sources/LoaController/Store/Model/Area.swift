/// An administrative area: a province, a district or a commune, forming a tree.
public struct Area: Sendable, Equatable, Hashable, Identifiable {
    /// The level of an area in the administrative tree.
    public enum Kind: String, Sendable, CaseIterable {
        case province, district, commune

        /// The kinds an area of this kind may sit under. Communes may sit directly under a
        /// province, as they do since the 2025 two-level reform.
        var allowedParents: Set<Kind> {
            switch self {
            case .province: return []
            case .district: return [.province]
            case .commune: return [.district, .province]
            }
        }
    }

    public var id: String
    public var name: String
    public var kind: Kind
    public var parentID: String?

    public init(id: String, name: String, kind: Kind, parentID: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentID = parentID
    }
}
