import Foundation

/// Which as-played events to list; every field narrows the result. Newest first.
public struct PlayEventQuery: Sendable, Equatable {
    /// Events from gateways in this area or anywhere below it.
    public var areaID: String?
    public var gatewayID: String?
    public var bulletinSHA256: String?
    /// Inclusive lower bound.
    public var from: Date?
    /// Exclusive upper bound.
    public var until: Date?
    public var limit: Int
    /// Continue after the last event of a previous page.
    public var after: Cursor?

    /// A keyset position: the (time, sequence) of the last event seen.
    public struct Cursor: Sendable, Equatable, Hashable {
        public var atMs: Int64
        public var sequence: Int64

        public init(atMs: Int64, sequence: Int64) {
            self.atMs = atMs
            self.sequence = sequence
        }

        /// `"<atMs>.<sequence>"`, for an API's `next` link.
        public var token: String { "\(atMs).\(sequence)" }

        public init?(token: String) {
            let parts = token.split(separator: ".")
            guard parts.count == 2, let at = Int64(parts[0]), let seq = Int64(parts[1]) else { return nil }
            self.init(atMs: at, sequence: seq)
        }
    }

    public init(
        areaID: String? = nil, gatewayID: String? = nil, bulletinSHA256: String? = nil,
        from: Date? = nil, until: Date? = nil, limit: Int = 100, after: Cursor? = nil
    ) {
        self.areaID = areaID
        self.gatewayID = gatewayID
        self.bulletinSHA256 = bulletinSHA256
        self.from = from
        self.until = until
        self.limit = limit
        self.after = after
    }
}
