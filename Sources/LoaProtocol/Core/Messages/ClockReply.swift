/// `clockReply` (0x12, controller → gateway, binary `i64 t1 | i64 t2 | i64 t3`): t1 echoed,
/// t2 when the controller received the request, t3 when it sent the reply (controller clock, ns).
public struct ClockReply: Equatable, Sendable {
    public var t1: Int64
    public var t2: Int64
    public var t3: Int64
    public init(t1: Int64, t2: Int64, t3: Int64) {
        self.t1 = t1
        self.t2 = t2
        self.t3 = t3
    }
}
