import LoaProtocol

/// What an item does when it meets a busy gateway: the protocol's own type, so a stored rule,
/// an announcement and a live stream travel without conversion (issue 12: the controller had a
/// copy, bridged by raw value with fallbacks that disagreed).
public typealias BusyPolicy = LoaProtocol.BusyPolicy
