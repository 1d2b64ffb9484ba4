import Foundation
import LoaSchedule

/// What a province (or district) reports upward for a period (Circular 39/2020/TT-BTTTT asks the
/// stations to share what was broadcast and the state of their devices): per commune, what
/// sounded by class and by origin, programs run against planned, plays missed, and each
/// gateway's time online and time up. Pure: built from `ReportFacts` and the period's programs,
/// with `now` injected; the API serves it as JSON and CSV (`PeriodReport+CSV`).
///
/// Counting: a *broadcast* is one item occurrence in a commune (the same item id on several of
/// its gateways counts once; its length is the most any gateway sounded); a *play* is one
/// gateway's sounding of an item; *missed* counts gateway plays that never sounded and were
/// marked missed. Class and origin: a bulletin sent down keeps its class (normal, priority,
/// emergency) and its sender's level (district, province, centre); a relayed stream is origin
/// `relay`; everything else — the commune's programs, schedules, announcements, live — is `own`.
public struct PeriodReport: Sendable, Equatable, Encodable {
    public enum Origin: String, Sendable, Equatable, CaseIterable, Encodable {
        case own, district, province, centre, relay
    }

    /// A count and how long it sounded.
    public struct Tally: Sendable, Equatable, Encodable {
        public var count = 0
        public var milliseconds: Int64 = 0

        public var seconds: Int64 { milliseconds / 1000 }
        /// To a tenth of a minute.
        public var minutes: Double { (Double(milliseconds) / 6_000).rounded() / 10 }

        mutating func add(_ ms: Int) {
            count += 1
            milliseconds += Int64(ms)
        }

        static func + (a: Tally, b: Tally) -> Tally { Tally(count: a.count + b.count, milliseconds: a.milliseconds + b.milliseconds) }

        enum CodingKeys: String, CodingKey { case count, seconds, minutes }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(count, forKey: .count)
            try c.encode(seconds, forKey: .seconds)
            try c.encode(minutes, forKey: .minutes)
        }
    }

    /// Broadcasts by TT 39 class; `own` is the commune's own, with no class.
    public struct ByClass: Sendable, Equatable, Encodable {
        public var own = Tally(), normal = Tally(), priority = Tally(), emergency = Tally()

        subscript(_ sent: Dispatch.Class?) -> Tally {
            get {
                switch sent {
                case nil: return own
                case .normal?: return normal
                case .priority?: return priority
                case .emergency?: return emergency
                }
            }
            set {
                switch sent {
                case nil: own = newValue
                case .normal?: normal = newValue
                case .priority?: priority = newValue
                case .emergency?: emergency = newValue
                }
            }
        }

        static func + (a: ByClass, b: ByClass) -> ByClass {
            ByClass(own: a.own + b.own, normal: a.normal + b.normal, priority: a.priority + b.priority, emergency: a.emergency + b.emergency)
        }
    }

    public struct ByOrigin: Sendable, Equatable, Encodable {
        public var own = Tally(), district = Tally(), province = Tally(), centre = Tally(), relay = Tally()

        subscript(_ origin: Origin) -> Tally {
            get {
                switch origin {
                case .own: return own
                case .district: return district
                case .province: return province
                case .centre: return centre
                case .relay: return relay
                }
            }
            set {
                switch origin {
                case .own: own = newValue
                case .district: district = newValue
                case .province: province = newValue
                case .centre: centre = newValue
                case .relay: relay = newValue
                }
            }
        }

        static func + (a: ByOrigin, b: ByOrigin) -> ByOrigin {
            ByOrigin(own: a.own + b.own, district: a.district + b.district, province: a.province + b.province,
                     centre: a.centre + b.centre, relay: a.relay + b.relay)
        }
    }

    /// Program occurrences due in the period, and those of which anything sounded.
    public struct Programs: Sendable, Equatable, Encodable {
        public var planned = 0
        public var run = 0

        static func + (a: Programs, b: Programs) -> Programs { Programs(planned: a.planned + b.planned, run: a.run + b.run) }
    }

    public struct GatewayRow: Sendable, Equatable, Encodable {
        public var id: String
        public var name: String
        public var plays: Tally
        public var missed: Int
        /// Connected to this controller, within the part of the period it existed and that has passed.
        public var onlineSeconds: Int64
        /// Its service known to be running (connected, or counted back from its uptime reports).
        public var uptimeSeconds: Int64
        /// The seconds both are out of.
        public var observedSeconds: Int64
    }

    public struct Commune: Sendable, Equatable, Encodable {
        public var areaId: String
        public var name: String
        public var broadcasts = Tally()
        public var byClass = ByClass()
        public var byOrigin = ByOrigin()
        public var programs = Programs()
        public var plays = Tally()
        public var missed = 0
        public var gateways: [GatewayRow] = []
    }

    public struct Totals: Sendable, Equatable, Encodable {
        public var communes = 0
        public var gateways = 0
        public var broadcasts = Tally()
        public var byClass = ByClass()
        public var byOrigin = ByOrigin()
        public var programs = Programs()
        public var plays = Tally()
        public var missed = 0
        public var onlineSeconds: Int64 = 0
        public var uptimeSeconds: Int64 = 0
        public var observedSeconds: Int64 = 0
    }

    public struct AreaRef: Sendable, Equatable, Encodable {
        public var id: String
        public var name: String
        public var kind: String
    }

    /// A program of the period: the communes it reaches and the days it is due.
    public struct PlannedProgram: Sendable, Equatable {
        public var id: Int64
        public var communeIDs: Set<String>
        public var dates: Set<LocalDate>

        public init(id: Int64, communeIDs: Set<String>, dates: Set<LocalDate>) {
            self.id = id
            self.communeIDs = communeIDs
            self.dates = dates
        }
    }

    public var area: AreaRef
    public var from: String
    public var to: String
    public var timeZone: String
    public var generatedAt: String
    public var communes: [Commune]
    public var totals: Totals
}
