import Foundation
import LoaSchedule

/// A scheduled relay ("tiếp sóng" at fixed hours): the controller opens a relay of `relayURL`
/// for `areaID` (and everything below it) at each occurrence of the recurrence and ends it after
/// `durationSeconds`. The area's gateways get the windows in their schedule, so one that misses
/// a window logs it and plays `fallbackSHA256` instead when set.
public struct RelaySchedule: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var areaID: String
    public var title: String
    public var relayURL: String
    public var recurrence: ScheduleRule.Recurrence
    public var timeOfDay: TimeOfDay
    /// For `.once`, the day it plays.
    public var validFrom: LocalDate
    public var validTo: LocalDate?
    public var durationSeconds: Int
    public var priority: UInt8
    public var onBusy: BusyPolicy
    public var onInterrupt: InterruptPolicy
    /// An approved bulletin a gateway plays when the relay does not reach it.
    public var fallbackSHA256: String?
    public var createdBy: String

    /// Relays sit in the background band by default: a scheduled bulletin or an announcement
    /// interrupts the relayed radio, which the gateway rejoins afterwards (DESIGN.md's bands).
    public static let defaultPriority: UInt8 = Priority.background.rawValue
    /// Six hours: a relay longer than that is a standing program, not a window.
    public static let durationLimit = 10...21_600

    /// The document entry id for a stored relay rule; window ids start with it.
    public static func entryID(forRule id: Int64) -> String { "relay-\(id)" }

    public init(id: Int64, areaID: String, title: String, relayURL: String, recurrence: ScheduleRule.Recurrence, timeOfDay: TimeOfDay,
                validFrom: LocalDate, validTo: LocalDate? = nil, durationSeconds: Int, priority: UInt8 = RelaySchedule.defaultPriority,
                onBusy: BusyPolicy = .queue, onInterrupt: InterruptPolicy = .resume, fallbackSHA256: String? = nil, createdBy: String = "") {
        self.id = id
        self.areaID = areaID
        self.title = title
        self.relayURL = relayURL
        self.recurrence = recurrence
        self.timeOfDay = timeOfDay
        self.validFrom = validFrom
        self.validTo = validTo
        self.durationSeconds = durationSeconds
        self.priority = priority
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
        self.fallbackSHA256 = fallbackSHA256
        self.createdBy = createdBy
    }

    /// As a gateway's schedule carries it (`fallback` only when that bulletin is approved).
    public func entry(fallback: Bulletin?) -> RelayEntry {
        let content = fallback.flatMap { bulletin in
            bulletin.state == .approved ? Content(sha256: bulletin.sha256, durationMs: Int64(bulletin.durationMs), title: bulletin.title) : nil
        }
        return RelayEntry(id: Self.entryID(forRule: id), title: title, recurrence: recurrence.document(once: validFrom),
                          time: timeOfDay.localTime,
                          validFrom: validFrom, validTo: validTo, durationMs: Int64(durationSeconds) * 1000,
                          priority: Priority(rawValue: priority), fallback: content)
    }
}

/// Scheduled relays.
public protocol RelayScheduleRepository: Sendable {
    /// Stored with `id` ignored; bumps the schedule version of every gateway in the area.
    func createRelaySchedule(_ rule: RelaySchedule, origin: AuditOrigin) async throws(StoreError) -> RelaySchedule
    func relaySchedule(_ id: Int64) async throws(StoreError) -> RelaySchedule
    func allRelaySchedules() async throws(StoreError) -> [RelaySchedule]
    func deleteRelaySchedule(_ id: Int64, origin: AuditOrigin) async throws(StoreError)
    /// Rules whose area is the gateway's or one above it.
    func relaySchedules(forGateway id: String) async throws(StoreError) -> [RelaySchedule]
}
