/// What to do with a schedule the controller sent, given the version already stored. Pure.
///
/// The controller's versions only grow; an older one is a late duplicate from a previous
/// connection and must not overwrite a newer schedule. The same version is acknowledged
/// again without a write (schedule sync is idempotent).
public enum ScheduleUpdate: Hashable, Sendable {
    case store
    case alreadyStored
    case olderThanStored(stored: UInt64)

    public static func decide(stored: UInt64?, incoming: UInt64) -> ScheduleUpdate {
        guard let stored else { return .store }
        if incoming > stored { return .store }
        if incoming == stored { return .alreadyStored }
        return .olderThanStored(stored: stored)
    }
}
