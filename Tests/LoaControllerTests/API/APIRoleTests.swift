import Foundation
import Hummingbird
import Testing
@testable import LoaController
import LoaSchedule

/// Every role against every endpoint it must refuse (403), and a sample it must allow; then
/// area scope: the right role in the wrong area is refused too.
@Suite(.serialized) struct APIRoleTests {
    /// A request with `{SHA}` / `{SCHEDULE}` / `{ANNOUNCEMENT}` filled in at run time.
    struct Case: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var json: String?
        var description: String { "\(method) \(path)" }
    }

    static let refusals: [String: [Case]] = [
        "broadcaster": [
            Case(method: .get, path: "/api/v1/users"),
            Case(method: .post, path: "/api/v1/users", json: #"{"username":"x1","password":"long enough 1","role":"broadcaster","areaId":"xa-tan-lap"}"#),
            Case(method: .get, path: "/api/v1/users/admin"),
            Case(method: .patch, path: "/api/v1/users/tech-tan-lap", json: #"{"role":"operator"}"#),
            Case(method: .post, path: "/api/v1/areas", json: #"{"id":"thon-1","name":"Thôn 1","kind":"commune","parentId":"cam-xuyen"}"#),
            Case(method: .patch, path: "/api/v1/areas/xa-tan-lap", json: #"{"name":"x"}"#),
            Case(method: .post, path: "/api/v1/gateways", json: #"{"id":"gw-new","name":"n","areaId":"xa-tan-lap"}"#),
            Case(method: .patch, path: "/api/v1/gateways/xa-tan-lap-01", json: #"{"name":"x"}"#),
            Case(method: .post, path: "/api/v1/gateways/xa-tan-lap-01/secret"),
            Case(method: .post, path: "/api/v1/gateways/xa-tan-lap-01/commands", json: #"{"action":"restart"}"#),
            Case(method: .post, path: "/api/v1/bulletins/{SHA}/approve"),
            Case(method: .post, path: "/api/v1/bulletins/{SHA}/archive"),
            Case(method: .post, path: "/api/v1/announcements", json: #"{"bulletin":"{SHA}","areas":["xa-tan-lap"]}"#),
            Case(method: .post, path: "/api/v1/announcements/{ANNOUNCEMENT}/stop"),
            Case(method: .get, path: "/api/v1/audit"),
        ],
        "technician": [
            Case(method: .get, path: "/api/v1/users"),
            Case(method: .post, path: "/api/v1/users", json: #"{"username":"x2","password":"long enough 1","role":"technician","areaId":"xa-tan-lap"}"#),
            Case(method: .get, path: "/api/v1/users/bt-tan-lap"),
            Case(method: .patch, path: "/api/v1/users/bt-tan-lap", json: #"{"password":"another long one"}"#),
            Case(method: .post, path: "/api/v1/areas", json: #"{"id":"thon-2","name":"Thôn 2","kind":"commune","parentId":"cam-xuyen"}"#),
            Case(method: .patch, path: "/api/v1/areas/xa-tan-lap", json: #"{"name":"x"}"#),
            Case(method: .post, path: "/api/v1/gateways", json: #"{"id":"gw-new","name":"n","areaId":"xa-tan-lap"}"#),
            Case(method: .patch, path: "/api/v1/gateways/xa-tan-lap-01", json: #"{"name":"x"}"#),
            Case(method: .post, path: "/api/v1/gateways/xa-tan-lap-01/secret"),
            Case(method: .post, path: "/api/v1/bulletins", json: nil),
            Case(method: .post, path: "/api/v1/bulletins/{SHA}/approve"),
            Case(method: .post, path: "/api/v1/bulletins/{SHA}/archive"),
            Case(method: .post, path: "/api/v1/schedules", json: #"{"bulletin":"{SHA}","areas":["xa-tan-lap"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}"#),
            Case(method: .delete, path: "/api/v1/schedules/{SCHEDULE}"),
            Case(method: .post, path: "/api/v1/announcements", json: #"{"bulletin":"{SHA}","areas":["xa-tan-lap"]}"#),
            Case(method: .post, path: "/api/v1/announcements/{ANNOUNCEMENT}/stop"),
            Case(method: .get, path: "/api/v1/audit"),
        ],
        // An operator of another province: the right role, the wrong area.
        "operator-elsewhere": [
            Case(method: .post, path: "/api/v1/users", json: #"{"username":"x3","password":"long enough 1","role":"broadcaster","areaId":"xa-tan-lap"}"#),
            Case(method: .get, path: "/api/v1/users/bt-tan-lap"),
            Case(method: .patch, path: "/api/v1/users/bt-tan-lap", json: #"{"role":"technician"}"#),
            Case(method: .get, path: "/api/v1/areas/xa-tan-lap"),
            Case(method: .post, path: "/api/v1/areas", json: #"{"id":"thon-3","name":"Thôn 3","kind":"commune","parentId":"cam-xuyen"}"#),
            Case(method: .patch, path: "/api/v1/areas/xa-tan-lap", json: #"{"name":"x"}"#),
            Case(method: .get, path: "/api/v1/gateways?area=xa-tan-lap"),
            Case(method: .post, path: "/api/v1/gateways", json: #"{"id":"gw-new","name":"n","areaId":"xa-tan-lap"}"#),
            Case(method: .get, path: "/api/v1/gateways/xa-tan-lap-01"),
            Case(method: .patch, path: "/api/v1/gateways/xa-tan-lap-01", json: #"{"name":"x"}"#),
            Case(method: .patch, path: "/api/v1/gateways/xa-dien-hoa-01", json: #"{"areaId":"xa-tan-lap"}"#),
            Case(method: .post, path: "/api/v1/gateways/xa-tan-lap-01/secret"),
            Case(method: .post, path: "/api/v1/gateways/xa-tan-lap-01/commands", json: #"{"action":"restart"}"#),
            Case(method: .get, path: "/api/v1/bulletins/{SHA}"),
            Case(method: .get, path: "/api/v1/bulletins/{SHA}/audio"),
            Case(method: .post, path: "/api/v1/bulletins/{SHA}/approve"),
            Case(method: .post, path: "/api/v1/schedules", json: #"{"bulletin":"{SHA}","areas":["xa-tan-lap"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}"#),
            Case(method: .get, path: "/api/v1/schedules/{SCHEDULE}"),
            Case(method: .delete, path: "/api/v1/schedules/{SCHEDULE}"),
            Case(method: .post, path: "/api/v1/announcements", json: #"{"bulletin":"{SHA}","areas":["xa-tan-lap"]}"#),
            Case(method: .post, path: "/api/v1/announcements/{ANNOUNCEMENT}/stop"),
            Case(method: .get, path: "/api/v1/play-log?gateway=xa-tan-lap-01"),
            Case(method: .get, path: "/api/v1/schedules/preview?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&gateway=xa-tan-lap-01"),
        ],
        // A broadcaster of xa-tan-lap outside their commune.
        "broadcaster-elsewhere": [
            Case(method: .post, path: "/api/v1/schedules", json: #"{"bulletin":"{SHA}","areas":["xa-cam-binh"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}"#),
            Case(method: .post, path: "/api/v1/schedules", json: #"{"bulletin":"{SHA}","areas":["cam-xuyen"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}"#),
            Case(method: .post, path: "/api/v1/schedules", json: #"{"bulletin":"{SHA}","gateways":["xa-cam-binh-01"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}"#),
            Case(method: .get, path: "/api/v1/gateways/xa-cam-binh-01"),
            Case(method: .get, path: "/api/v1/areas/cam-xuyen"),
        ],
        // An operator may not touch admins, create admins, or change their own area.
        "operator-limits": [
            Case(method: .post, path: "/api/v1/users", json: #"{"username":"x4","password":"long enough 1","role":"admin","areaId":"xa-tan-lap"}"#),
            Case(method: .patch, path: "/api/v1/users/bt-tan-lap", json: #"{"role":"admin"}"#),
            Case(method: .get, path: "/api/v1/users/admin"),
            Case(method: .patch, path: "/api/v1/areas/cam-xuyen", json: #"{"name":"x"}"#),
            Case(method: .patch, path: "/api/v1/areas/xa-tan-lap", json: #"{"parentId":"ky-anh"}"#),
            Case(method: .post, path: "/api/v1/areas", json: #"{"id":"tinh-moi","name":"Tỉnh mới","kind":"province"}"#),
        ],
    ]

    static let users = ["broadcaster": "bt-tan-lap", "technician": "tech-tan-lap", "operator-elsewhere": "op-nghe-an",
                        "broadcaster-elsewhere": "bt-tan-lap", "operator-limits": "op-cam-xuyen"]

    @Test(arguments: ["broadcaster", "technician", "operator-elsewhere", "broadcaster-elsewhere", "operator-limits"])
    func refused(_ group: String) async throws {
        let h = try await APIHarness.start()
        let bulletin = try await h.bulletin()
        let entry = try await h.database.createScheduleEntry(
            ScheduleRule(bulletinSHA256: bulletin.sha256, target: BroadcastTarget(areaIDs: ["xa-tan-lap"]), recurrence: .daily,
                         timeOfDay: TimeOfDay(hour: 6, minute: 0), validFrom: LocalDate(year: 2026, month: 12, day: 1)),
            origin: AuditOrigin(actor: "admin"))
        let announcement = try await h.database.createAnnouncement(
            NewAnnouncement(content: .bulletin(sha256: bulletin.sha256), target: BroadcastTarget(areaIDs: ["xa-tan-lap"]), priority: 150,
                            startAt: h.clock.now, expiresAt: h.clock.now.addingTimeInterval(600)), origin: AuditOrigin(actor: "admin"))
        let user = Self.users[group]!
        let cases = Self.refusals[group]!
        let before = try await h.database.auditEntries(after: 0, limit: 100_000).count
        try await h.run { api in
            for c in cases {
                func fill(_ s: String) -> String {
                    s.replacingOccurrences(of: "{SHA}", with: bulletin.sha256).replacingOccurrences(of: "{SCHEDULE}", with: "\(entry.id)")
                        .replacingOccurrences(of: "{ANNOUNCEMENT}", with: "\(announcement.id)")
                }
                let answer = try await api.call(c.method, fill(c.path), as: user, json: c.json.map(fill))
                #expect(answer.status == 403, "\(group) \(c): \(answer.status) \(answer.text)")
                #expect(answer.errorCode == "forbidden", "\(group) \(c): \(answer.text)")
                #expect(answer.errorMessage?.isEmpty == false)
            }
        }
        // Nothing refused changed the store.
        let entries = try await h.database.auditEntries(after: 0, limit: 100_000)
        #expect(entries.count == before, "\(entries.suffix(entries.count - before).map(\.action))")
    }

    /// `GET /api/v1/me` says what AccessPolicy allows each role and LoaSchedule's bands, so the
    /// console keeps no table of its own.
    @Test func meAnswersTheRolesActionsAndThePriorityBands() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            for user in APIHarness.users {
                let me = try await api.call(.get, "/api/v1/me", as: user.name)
                #expect(me.status == 200, "\(me.text)")
                let actions = Set(me.object["actions"] as? [String] ?? [])
                #expect(actions == Set(AccessPolicy.table[user.role, default: []].map(\.rawValue)), "\(user.name): \(actions)")
                let assignable = Set(me.object["assignableRoles"] as? [String] ?? [])
                #expect(assignable == Set(AccessPolicy.assignableRoles(by: user.role).map(\.rawValue)), "\(user.name)")
                let bands = me.object["priorityBands"] as? [[String: Any]] ?? []
                #expect(bands.map { $0["name"] as? String ?? "" } == Priority.Band.allCases.map(\.rawValue))
                for (band, shown) in zip(Priority.Band.allCases, bands) {
                    #expect(shown["min"] as? Int == Int(band.levels.lowerBound) && shown["max"] as? Int == Int(band.levels.upperBound))
                    #expect(shown["default"] as? Int == Int(band.defaultPriority.rawValue))
                }
            }
            let broadcaster = try await api.call(.get, "/api/v1/me", as: "bt-tan-lap")
            #expect((broadcaster.object["actions"] as? [String])?.contains("announce") == false)
            #expect((broadcaster.object["actions"] as? [String])?.contains("schedule") == true)
            // Approval is required by default: a broadcaster's draft is not scheduled, an admin's is.
            #expect(broadcaster.object["schedulesDrafts"] as? Bool == false)
            #expect(try await api.call(.get, "/api/v1/me", as: "admin").object["schedulesDrafts"] as? Bool == true)
        }
    }

    @Test func allowedSamplePerRole() async throws {
        let h = try await APIHarness.start()
        let bulletin = try await h.bulletin()
        let draft = try await h.bulletin(frequency: 660, approve: false)
        try await h.run { api in
            // Everyone reads in scope.
            for user in ["admin", "op-cam-xuyen", "bt-tan-lap", "tech-tan-lap", "op-nghe-an"] {
                for path in ["/api/v1/me", "/api/v1/areas", "/api/v1/gateways", "/api/v1/bulletins", "/api/v1/schedules",
                             "/api/v1/announcements", "/api/v1/play-log"] {
                    let answer = try await api.call(.get, path, as: user)
                    #expect(answer.status == 200, "\(user) GET \(path): \(answer.text)")
                }
            }
            #expect(try await api.call(.get, "/api/v1/gateways/xa-tan-lap-01", as: "tech-tan-lap").status == 200)
            #expect(try await api.call(.get, "/api/v1/areas/cam-xuyen", as: "op-cam-xuyen").status == 200)
            // Broadcaster: upload, schedule an approved bulletin in their commune, delete it.
            let scheduled = try await api.call(.post, "/api/v1/schedules", as: "bt-tan-lap", json: """
                {"bulletin":"\(bulletin.sha256)","areas":["xa-tan-lap"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}
                """)
            #expect(scheduled.status == 201, "\(scheduled.text)")
            let id = scheduled.object["id"] as? Int ?? -1
            #expect(try await api.call(.delete, "/api/v1/schedules/\(id)", as: "bt-tan-lap").status == 204)
            // Operator: approve within the district, manage a user below.
            #expect(try await api.call(.post, "/api/v1/bulletins/\(draft.sha256)/approve", as: "op-cam-xuyen").status == 200)
            let created = try await api.call(.post, "/api/v1/users", as: "op-cam-xuyen", json: """
                {"username":"bt-cam-binh","password":"long enough 1","role":"broadcaster","areaId":"xa-cam-binh"}
                """)
            #expect(created.status == 201, "\(created.text)")
            #expect(try await api.call(.get, "/api/v1/users", as: "op-cam-xuyen").items.map { $0["username"] as? String }
                    .contains("bt-cam-binh"))
            #expect(try await api.call(.get, "/api/v1/audit", as: "op-cam-xuyen").status == 200)
            // Operators of another province do not see this district's things in lists.
            let listed = try await api.call(.get, "/api/v1/gateways", as: "op-nghe-an").items.compactMap { $0["id"] as? String }
            #expect(listed == ["xa-dien-hoa-01"])
            let users = try await api.call(.get, "/api/v1/users", as: "op-nghe-an").items.compactMap { $0["username"] as? String }
            #expect(users == ["op-nghe-an"])
            let areas = try await api.call(.get, "/api/v1/areas", as: "bt-tan-lap").items.compactMap { $0["id"] as? String }
            #expect(areas == ["xa-tan-lap"])
        }
    }
}
