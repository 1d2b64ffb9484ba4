import LoaSchedule

/// What an item does when it arrives at a gateway that is already playing something: the
/// schedule's own `OnBusy`, so announcements and live streams travel in the arbiter's vocabulary
/// with no conversion (issue 12: three copies were bridged by raw value with fallbacks that
/// disagreed). On the wire: "preempt", "queue" or "drop".
public typealias BusyPolicy = OnBusy
