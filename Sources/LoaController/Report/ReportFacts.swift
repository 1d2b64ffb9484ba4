import Foundation
import LoaSchedule

/// What the store knows of a period, raw, for `PeriodReport.build`: every item's life on every
/// gateway, the gateways' connected spans and uptime reports, and where the items came from.
public struct ReportFacts: Sendable, Equatable {
    /// One item's life on one gateway (all its as-played events, by gateway and item id).
    public struct Life: Sendable, Equatable {
        public var gatewayID: String
        public var itemID: String
        /// The life's first event.
        public var firstAt: Date
        /// The furthest position any of its events reached: how much of it sounded (ms).
        public var soundedMs: Int
        /// A `started` or `resumed` event: it sounded.
        public var started: Bool
        /// A `missed` event (the gateway's or the controller's) and nothing sounded.
        public var missed: Bool

        public init(gatewayID: String, itemID: String, firstAt: Date, soundedMs: Int, started: Bool, missed: Bool) {
            self.gatewayID = gatewayID
            self.itemID = itemID
            self.firstAt = firstAt
            self.soundedMs = soundedMs
            self.started = started
            self.missed = missed
        }
    }

    /// A span a gateway was connected (`open`: the session had not ended when it was read).
    public struct Presence: Sendable, Equatable {
        public var gatewayID: String
        public var from: Date
        public var to: Date
        public var open: Bool

        public init(gatewayID: String, from: Date, to: Date, open: Bool) {
            self.gatewayID = gatewayID
            self.from = from
            self.to = to
            self.open = open
        }
    }

    /// A health report's word that the gateway's service had been running `serviceUptime`
    /// seconds at `at`, offline or not.
    public struct Uptime: Sendable, Equatable {
        public var gatewayID: String
        public var at: Date
        public var serviceUptimeSeconds: Int64

        public init(gatewayID: String, at: Date, serviceUptimeSeconds: Int64) {
            self.gatewayID = gatewayID
            self.at = at
            self.serviceUptimeSeconds = serviceUptimeSeconds
        }
    }

    /// A bulletin sent down, as far as the report needs it.
    public struct SentDown: Sendable, Equatable {
        public var dispatchClass: Dispatch.Class
        /// The sender's level (`PeriodReport.Origin`: district, province or centre).
        public var origin: PeriodReport.Origin
        /// A placed one: the program occurrence it went into.
        public var programID: Int64?
        public var date: LocalDate?

        public init(dispatchClass: Dispatch.Class, origin: PeriodReport.Origin, programID: Int64? = nil, date: LocalDate? = nil) {
            self.dispatchClass = dispatchClass
            self.origin = origin
            self.programID = programID
            self.date = date
        }
    }

    public var lives: [Life]
    public var presence: [Presence]
    public var uptimes: [Uptime]
    /// Dispatch targets by id (what `dispatch-<id>` items play).
    public var dispatchTargets: [Int64: SentDown]
    /// Emergency announcements sent for a dispatch, by announcement id.
    public var announcements: [Int64: SentDown]
    /// Live streams that relayed an upstream (`live-<id>`).
    public var relayStreams: Set<Int64>

    public init(lives: [Life] = [], presence: [Presence] = [], uptimes: [Uptime] = [], dispatchTargets: [Int64: SentDown] = [:],
                announcements: [Int64: SentDown] = [:], relayStreams: Set<Int64> = []) {
        self.lives = lives
        self.presence = presence
        self.uptimes = uptimes
        self.dispatchTargets = dispatchTargets
        self.announcements = announcements
        self.relayStreams = relayStreams
    }
}
