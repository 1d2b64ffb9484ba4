import Foundation

/// A stored schedule rule with its id and provenance.
public struct ScheduleEntry: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var rule: ScheduleRule
    public var createdBy: String
    public var createdAt: Date

    public init(id: Int64, rule: ScheduleRule, createdBy: String, createdAt: Date) {
        self.id = id
        self.rule = rule
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
