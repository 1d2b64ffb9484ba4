import LoaProtocol

/// What happens to an item when something of higher priority interrupts it: the protocol's type.
public typealias InterruptPolicy = LoaProtocol.InterruptPolicy
