/// `clockRequest` (0x11, gateway → controller, binary `i64 t1`): t1 is the gateway's clock,
/// nanoseconds since the Unix epoch, when the request left.
public struct ClockRequest: Equatable, Sendable {
    public var t1: Int64
    public init(t1: Int64) { self.t1 = t1 }
}
