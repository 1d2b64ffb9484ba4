import Foundation
import LoaSchedule

/// A commune's daily broadcast program (chương trình phát thanh): a named block at set hours
/// holding an ordered list of items — jingle, bulletins, pauses, jingle — that every gateway of
/// its area (and below) plays back to back, offline too: `ProgramCompiler` turns it into one
/// schedule entry per item, each offset by the items before it.
public struct Program: Sendable, Equatable, Identifiable {
    /// One place in the program.
    public enum Item: Sendable, Equatable, Hashable {
        /// An approved bulletin.
        case bulletin(sha256: String)
        /// An approved bulletin used as station identification (nhạc hiệu).
        case jingle(sha256: String)
        /// Silence of this many seconds between its neighbours.
        case pause(seconds: Int)
        /// Upstream radio relayed for a set time (the provincial news at 05:35): the controller
        /// opens the relay for the program's area when the item is due, as a scheduled relay.
        case relay(ProgramRelay)

        public var kind: String {
            switch self {
            case .bulletin: return "bulletin"
            case .jingle: return "jingle"
            case .pause: return "pause"
            case .relay: return "relay"
            }
        }

        /// The bulletin played, nil for a pause or a relay.
        public var sha256: String? {
            switch self {
            case .bulletin(let sha256), .jingle(let sha256): return sha256
            case .pause, .relay: return nil
            }
        }

        /// Every bulletin the item names (a relay's fallback too): each must be approved.
        public var bulletinsNamed: [String] {
            if case .relay(let relay) = self { return relay.fallbackSHA256.map { [$0] } ?? [] }
            return sha256.map { [$0] } ?? []
        }

        /// Whether it makes sound (a bulletin, a jingle, a relay), not only time.
        public var sounds: Bool {
            if case .pause = self { return false }
            return true
        }

        public static let pauseLimit = 1...600
    }

    /// What happens to items that would start after the planned length has passed.
    public enum Overrun: String, Sendable, Equatable, CaseIterable {
        /// The item on air at the planned end finishes; the items after it are not played.
        case finishItem = "finish-item"
        /// Every item plays, however long the program runs.
        case playOn = "play-on"
    }

    public var id: Int64
    public var areaID: String
    public var name: String
    public var recurrence: ScheduleRule.Recurrence
    public var timeOfDay: TimeOfDay
    /// For `.once`, the day it plays.
    public var validFrom: LocalDate
    public var validTo: LocalDate?
    /// How long the program is meant to last; nil = as long as its items.
    public var plannedSeconds: Int?
    public var overrun: Overrun
    public var priority: UInt8
    public var onBusy: BusyPolicy
    public var onInterrupt: InterruptPolicy
    public var items: [Item]
    public var createdBy: String
    public var updatedAt: Date?
    /// Set by an edit made while an occurrence was on air: that occurrence goes on with the new
    /// items after the one on air (`ProgramCompiler.cutover`); nil otherwise.
    public var cutover: ProgramCutover?

    /// The scheduled band's middle, as a schedule entry's default.
    public static let defaultPriority = ScheduleRule.defaultPriority
    public static let itemLimit = 1...100
    public static let nameLimit = 1...200
    /// Six hours: longer is not a program but a day.
    public static let plannedLimit = 10...21_600

    public init(id: Int64 = 0, areaID: String, name: String, recurrence: ScheduleRule.Recurrence, timeOfDay: TimeOfDay,
                validFrom: LocalDate, validTo: LocalDate? = nil, plannedSeconds: Int? = nil, overrun: Overrun = .finishItem,
                priority: UInt8 = Program.defaultPriority, onBusy: BusyPolicy = .queue, onInterrupt: InterruptPolicy = .resume,
                items: [Item], createdBy: String = "", updatedAt: Date? = nil, cutover: ProgramCutover? = nil) {
        self.cutover = cutover
        self.id = id
        self.areaID = areaID
        self.name = name
        self.recurrence = recurrence
        self.timeOfDay = timeOfDay
        self.validFrom = validFrom
        self.validTo = validTo
        self.plannedSeconds = plannedSeconds
        self.overrun = overrun
        self.priority = priority
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
        self.items = items
        self.createdBy = createdBy
        self.updatedAt = updatedAt
    }

    /// The bulletins it plays (relays' fallbacks included), each once, in order of first use.
    public var bulletinSHA256s: [String] {
        var seen: Set<String> = []
        return items.flatMap(\.bulletinsNamed).filter { seen.insert($0).inserted }
    }

    /// Its relay items' URLs.
    public var relayURLs: [String] {
        items.compactMap { item in if case .relay(let relay) = item { return relay.url } else { return nil } }
    }
}

/// An edit made while one of the program's occurrences was on air. That day the occurrence
/// does not start over in its new shape: what had played, and the item on air, are not played
/// again; when the item on air ends (`resumeAtMs` from the occurrence's start) the new list goes
/// on from position `afterPosition + 1`. Bulletins sent down and placed into the day keep their
/// places; those after the item on air still play. Other days play the new program whole.
public struct ProgramCutover: Sendable, Equatable {
    public var date: LocalDate
    /// The position (in the list as it was) of the item on air at the edit; for a bulletin
    /// sent down that was on air, the position of the program item before it.
    public var afterPosition: Int
    public var resumeAtMs: Int64
    /// The dispatch target on air at the edit, when that was a bulletin sent down.
    public var onAirTarget: Int64?

    public init(date: LocalDate, afterPosition: Int, resumeAtMs: Int64, onAirTarget: Int64? = nil) {
        self.date = date
        self.afterPosition = afterPosition
        self.resumeAtMs = resumeAtMs
        self.onAirTarget = onAirTarget
    }
}

/// A relay inside a program: `url` (limited to `live.relay_hosts`, as every relay) for
/// `seconds`, then the program's next item; `fallbackSHA256`, an approved bulletin, plays on a
/// gateway the relay does not reach (offline, or the upstream down).
public struct ProgramRelay: Sendable, Equatable, Hashable {
    public var url: String
    public var title: String
    public var seconds: Int
    public var fallbackSHA256: String?

    /// As a scheduled relay's window: 10 s to 6 hours.
    public static let secondsLimit = RelaySchedule.durationLimit

    public init(url: String, title: String, seconds: Int, fallbackSHA256: String? = nil) {
        self.url = url
        self.title = title
        self.seconds = seconds
        self.fallbackSHA256 = fallbackSHA256
    }
}

/// Programs.
public protocol ProgramRepository: Sendable {
    /// Stored with `id` ignored; every bulletin it names must exist and be approved, checked in
    /// the same transaction. Bumps the schedule version of every gateway in the area.
    func createProgram(_ program: Program, origin: AuditOrigin) async throws(StoreError) -> Program
    func program(_ id: Int64) async throws(StoreError) -> Program
    func allPrograms() async throws(StoreError) -> [Program]
    /// Programs with a relay item (the relay scheduler reads them every second).
    func programsWithRelays() async throws(StoreError) -> [Program]
    /// Replaces everything but the id (the items as a whole), with the same checks.
    func updateProgram(_ id: Int64, _ program: Program, origin: AuditOrigin) async throws(StoreError) -> Program
    func deleteProgram(_ id: Int64, origin: AuditOrigin) async throws(StoreError)
    /// Programs whose area is the gateway's or one above it.
    func programs(forGateway id: String) async throws(StoreError) -> [Program]
    /// Programs that play `sha256` (their gateways' schedules change with its state).
    func programs(playing sha256: String) async throws(StoreError) -> [Program]
}
