/// One NTP-style exchange: t1 gateway send, t2 controller receive, t3 controller send,
/// t4 gateway receive (ns; t1/t4 gateway clock, t2/t3 controller clock).
public struct ClockSample: Equatable, Sendable {
    public var t1: Int64
    public var t2: Int64
    public var t3: Int64
    public var t4: Int64

    public init(t1: Int64, t2: Int64, t3: Int64, t4: Int64) {
        self.t1 = t1
        self.t2 = t2
        self.t3 = t3
        self.t4 = t4
    }

    public init(reply: ClockReply, receivedAt t4: Int64) {
        self.init(t1: reply.t1, t2: reply.t2, t3: reply.t3, t4: t4)
    }

    /// Controller clock minus gateway clock: ((t2 − t1) + (t3 − t4)) / 2. Exact when the two
    /// directions take equally long; otherwise off by half their difference.
    public var offset: Int64 { ((t2 &- t1) / 2) &+ ((t3 &- t4) / 2) }

    /// Round-trip time on the network: (t4 − t1) − (t3 − t2).
    public var delay: Int64 { (t4 &- t1) &- (t3 &- t2) }
}
