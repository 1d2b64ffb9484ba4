import LoaSchedule

/// What happens to an item when something of higher priority interrupts it: the schedule's own
/// `OnInterrupt`. On the wire: "resume", "restart" or "drop".
public typealias InterruptPolicy = OnInterrupt
