import Foundation
import LoaSchedule

// The JSON shapes of /work/contract.md ("Shapes"), one per model, built from the store's types.

struct APIUser: Codable, Sendable {
    var username: String
    var role: String
    @Nullable var areaId: String?
    var createdAt: String
    var disabled: Bool
    @Nullable var disabledAt: String?

    init(_ user: User) {
        username = user.username
        role = user.role.rawValue
        areaId = user.areaID
        createdAt = APIJSON.time(user.createdAt)
        disabled = user.isDisabled
        disabledAt = APIJSON.time(user.disabledAt)
    }
}

/// `GET /api/v1/me`: the caller, what their role may do, and the priority bands, so the console
/// and loactl draw both from the rules the API enforces instead of copies of their own.
struct APIMe: Codable, Sendable {
    var username: String
    var role: String
    @Nullable var areaId: String?
    var createdAt: String
    /// `AccessPolicy`'s actions for the role (scope aside), by name (`schedule`, `announce` …).
    var actions: [String]
    /// The roles this user may give others.
    var assignableRoles: [String]
    var priorityBands: [APIPriorityBand]
    /// Whether a schedule entry of a bulletin still in draft is taken from this user (a
    /// broadcaster's is refused while `bulletins.approval_required`), so the console offers
    /// drafts for scheduling only then.
    var schedulesDrafts: Bool

    init(_ user: User, approvalRequired: Bool) {
        username = user.username
        role = user.role.rawValue
        areaId = user.areaID
        createdAt = APIJSON.time(user.createdAt)
        actions = APIAction.allCases.filter { AccessPolicy.allows(user.role, $0) }.map(\.rawValue)
        assignableRoles = User.Role.allCases.filter { AccessPolicy.assignableRoles(by: user.role).contains($0) }.map(\.rawValue)
        priorityBands = Priority.Band.allCases.map(APIPriorityBand.init)
        schedulesDrafts = APIHandlers.schedulesDrafts(user.role, approvalRequired: approvalRequired)
    }
}

/// One of LoaSchedule's named priority bands: its levels and its default.
struct APIPriorityBand: Codable, Sendable {
    var name: String
    var min: Int
    var max: Int
    var `default`: Int

    init(_ band: Priority.Band) {
        name = band.rawValue
        min = Int(band.levels.lowerBound)
        max = Int(band.levels.upperBound)
        `default` = Int(band.defaultPriority.rawValue)
    }
}

struct APIArea: Codable, Sendable {
    var id: String
    var name: String
    var kind: String
    @Nullable var parentId: String?

    init(_ area: Area) {
        id = area.id
        name = area.name
        kind = area.kind.rawValue
        parentId = area.parentID
    }
}

struct APILocation: Codable, Sendable {
    var latitude: Double
    var longitude: Double

    var model: Gateway.Location { Gateway.Location(latitude: latitude, longitude: longitude) }
}

struct APIGatewayStatus: Codable, Sendable {
    var id: String
    var name: String
    var areaId: String
    @Nullable var location: APILocation?
    var online: Bool
    @Nullable var lastSeenAt: String?
    var scheduleVersion: Int64
    /// The latest report as the gateway sent it, plus `healthAt`.
    @Nullable var health: JSONValue?

    init(_ gateway: Gateway, online: Bool, health sample: HealthSample?) {
        id = gateway.id
        name = gateway.name
        areaId = gateway.areaID
        location = gateway.location.map { APILocation(latitude: $0.latitude, longitude: $0.longitude) }
        self.online = online
        lastSeenAt = APIJSON.time(gateway.lastSeenAt)
        scheduleVersion = gateway.scheduleVersion
        health = sample.map(Self.health)
    }

    static func health(_ sample: HealthSample) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if case .object(let report)? = JSONValue.parse(sample.report) { object = report }
        object["healthAt"] = .string(APIJSON.time(sample.at))
        return .object(object)
    }
}

struct APIBulletin: Codable, Sendable {
    var sha256: String
    var title: String
    var durationMs: Int
    var loudnessLufs: Double
    var byteSize: Int64
    var state: String
    var createdBy: String
    var createdAt: String
    @Nullable var approvedBy: String?
    @Nullable var approvedAt: String?
    @Nullable var archivedAt: String?

    init(_ bulletin: Bulletin) {
        sha256 = bulletin.sha256
        title = bulletin.title
        durationMs = bulletin.durationMs
        loudnessLufs = (bulletin.loudnessLUFS * 10).rounded() / 10
        byteSize = bulletin.byteSize
        state = bulletin.state.rawValue
        createdBy = bulletin.createdBy
        createdAt = APIJSON.time(bulletin.createdAt)
        approvedBy = bulletin.approvedBy
        approvedAt = APIJSON.time(bulletin.approvedAt)
        archivedAt = APIJSON.time(bulletin.archivedAt)
    }
}

/// How a rule recurs, as the API shows it for schedules and scheduled relays alike.
protocol APIRecurring {}

extension APIRecurring {
    /// (`once`/`daily`/`weekly`, the weekdays, `HH:MM:SS`).
    static func when(_ recurrence: ScheduleRule.Recurrence, _ time: TimeOfDay) -> (String, [Int], String) {
        let days: [Int] = if case .weekly(let set) = recurrence { set.sorted() } else { [] }
        let s = time.secondsSinceMidnight
        return (recurrence.name, days, String(format: "%02d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60))
    }
}

struct APIScheduleEntry: Codable, Sendable, APIRecurring {
    var id: Int64
    var bulletin: String
    var areas: [String]
    var gateways: [String]
    var recurrence: String
    var days: [Int]
    var at: String
    var from: String
    @Nullable var until: String?
    var priority: Int
    var `repeat`: Int
    var onBusy: String
    var onInterrupt: String
    var createdBy: String
    var createdAt: String
    /// What the caller should know about what was saved (a draft bulletin); only on create.
    var warnings: [String]?

    init(_ entry: ScheduleEntry) {
        let rule = entry.rule
        id = entry.id
        bulletin = rule.bulletinSHA256
        areas = rule.target.areaIDs
        gateways = rule.target.gatewayIDs
        (recurrence, days, at) = Self.when(rule.recurrence, rule.timeOfDay)
        from = rule.validFrom.description
        until = rule.validTo?.description
        priority = Int(rule.priority)
        self.repeat = rule.repeatCount
        onBusy = rule.onBusy.rawValue
        onInterrupt = rule.onInterrupt.rawValue
        createdBy = entry.createdBy
        createdAt = APIJSON.time(entry.createdAt)
    }
}

struct APIAnnouncement: Codable, Sendable {
    var id: Int64
    var bulletin: String
    var areas: [String]
    var gateways: [String]
    var priority: Int
    var startAt: String
    var expiresAt: String
    var createdBy: String
    var createdAt: String
    @Nullable var stoppedAt: String?
    @Nullable var stoppedBy: String?

    init(_ announcement: Announcement) {
        id = announcement.id
        bulletin = announcement.content.sha256
        areas = announcement.target.areaIDs
        gateways = announcement.target.gatewayIDs
        priority = Int(announcement.priority)
        startAt = APIJSON.time(announcement.startAt)
        expiresAt = APIJSON.time(announcement.expiresAt)
        createdBy = announcement.createdBy
        createdAt = APIJSON.time(announcement.createdAt)
        stoppedAt = APIJSON.time(announcement.stoppedAt)
        stoppedBy = announcement.stoppedBy
    }
}

struct APIPlayEvent: Codable, Sendable {
    var eventId: String
    var gatewayId: String
    var itemId: String
    @Nullable var bulletin: String?
    var kind: String
    var at: String
    var positionMs: Int
    @Nullable var detail: String?
    var origin: String
    /// The program and the 1-based place in it the play was (`program-12.3@…`, or a live item
    /// opened for a program's relay), else null.
    @Nullable var program: Int64?
    @Nullable var programPosition: Int?

    init(_ event: PlayLogEntry, programItem: String? = nil) {
        eventId = event.eventID
        gatewayId = event.gatewayID
        itemId = event.itemID
        bulletin = event.bulletinSHA256
        kind = event.kind.rawValue
        at = APIJSON.time(event.at)
        positionMs = event.positionMs
        detail = event.detail
        origin = event.origin.rawValue
        let place = ProgramCompiler.place(fromItemID: programItem ?? event.itemID)
        program = place?.program
        programPosition = place?.position
    }
}

struct APIPlayOutcome: Codable, Sendable {
    var gatewayId: String
    var itemId: String
    @Nullable var bulletin: String?
    var outcome: String
    var positionMs: Int
    var firstAt: String
    var lastAt: String
    var events: Int
    @Nullable var detail: String?
    var origin: String

    init(_ row: PlayOutcome) {
        gatewayId = row.gatewayID
        itemId = row.itemID
        bulletin = row.bulletinSHA256
        outcome = row.outcome.rawValue
        positionMs = row.positionMs
        firstAt = APIJSON.time(row.firstAt)
        lastAt = APIJSON.time(row.lastAt)
        events = row.events
        detail = row.detail
        origin = row.origin.rawValue
    }
}

struct APIAuditEntry: Codable, Sendable {
    var sequence: Int64
    var at: String
    var actor: String
    var action: String
    var target: String
    var details: [String: String]
    @Nullable var address: String?

    init(_ entry: AuditEntry) {
        sequence = entry.sequence
        at = APIJSON.time(entry.at)
        actor = entry.actor
        action = entry.action
        target = entry.target
        details = entry.details
        address = entry.address
    }
}
