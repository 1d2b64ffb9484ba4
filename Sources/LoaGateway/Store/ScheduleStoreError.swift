/// Why the schedule store could not read or write.
public enum ScheduleStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case disk(DiskError)
    /// Neither the current nor the previous file is a complete schedule; each reason listed.
    case damaged([String])

    public var description: String {
        switch self {
        case .disk(let error):
            return "schedule store: \(error)"
        case .damaged(let reasons):
            return "schedule store: no readable schedule (\(reasons.joined(separator: "; "))); the gateway will ask the controller for the schedule again"
        }
    }
}
