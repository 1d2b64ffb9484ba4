import Foundation
import LoaSchedule
import Testing
@testable import LoaController

/// Bulletins sent down by class (TT 39/2020) over the real router and SQLite file: the district
/// sends; each commune's inbox shows it; the commune places it into an occurrence of its own
/// program (its gateways' schedules then carry it that day only) or declines it; a priority one
/// enters the next occurrence at the front, or waits where there is no program; an emergency
/// becomes an announcement in the emergency band; a broadcaster cannot send one.
@Suite struct DispatchAPITests {
    static func program(_ api: APIClient, area: String, at: String, items: [String], as user: String = "admin") async throws -> Int {
        let made = try await api.call(.post, "/api/v1/programs", as: user, json: ProgramAPITests.body(area: area, at: at, items: items))
        #expect(made.status == 201, "\(made.text)")
        return made.object["id"] as? Int ?? 0
    }

    @Test func aNormalBulletinIsPlacedByOneCommuneDeclinedByAnotherAndLeftByAThird() async throws {
        let h = try await APIHarness.start()
        let jingle = try await h.bulletin(seconds: 1, frequency: 880)
        let news = try await h.bulletin(seconds: 2, frequency: 440)
        let sent = try await h.bulletin(seconds: 1.5, frequency: 660)
        try await h.run { api in
            // 40 minutes ahead (the harness tokens last an hour), so the occurrence is still to come.
            let at = Date().addingTimeInterval(2_400)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
            let c = calendar.dateComponents([.hour, .minute], from: at)
            let time = String(format: "%02d:%02d", c.hour!, c.minute!)
            let tanLap = try await Self.program(api, area: "xa-tan-lap", at: time, items: [
                ProgramAPITests.item("jingle", jingle.sha256), ProgramAPITests.item("bulletin", news.sha256)])
            let camBinh = try await Self.program(api, area: "xa-cam-binh", at: time, items: [ProgramAPITests.item("bulletin", news.sha256)])

            // The province (a system-wide user here) sends to three communes: one places it, one
            // declines it, one leaves it in its inbox.
            let made = try await api.call(.post, "/api/v1/dispatches", as: "admin", json: """
                {"bulletin":"\(sent.sha256)","areas":["cam-xuyen","xa-ky-phong"],"class":"normal","note":"Phát trong tuần"}
                """)
            #expect(made.status == 201, "\(made.text)")
            let targets = made.object["targets"] as? [[String: Any]] ?? []
            #expect(targets.map { $0["areaId"] as? String } == ["xa-cam-binh", "xa-ky-phong", "xa-tan-lap"])
            #expect(targets.allSatisfy { $0["state"] as? String == "delivered" })
            #expect(made.object["senderLevel"] as? String == "central")
            let dispatchID = try #require(made.object["id"] as? Int)

            // The commune's inbox: its own item only.
            let inbox = try await api.call(.get, "/api/v1/inbox", as: "bt-tan-lap").items
            #expect(inbox.count == 1 && inbox.first?["class"] as? String == "normal" && inbox.first?["note"] as? String == "Phát trong tuần")
            let item = try #require(inbox.first?["id"] as? Int)
            #expect(try await api.call(.get, "/api/v1/inbox/\(item)", as: "bt-tan-lap").object["state"] as? String == "seen")
            // Not into another commune's program; not without a reason when declining.
            let elsewhere = try await api.call(.post, "/api/v1/inbox/\(item)/place", as: "bt-tan-lap", json: #"{"program":\#(camBinh),"position":1}"#)
            #expect(elsewhere.status == 403 || elsewhere.status == 422, "\(elsewhere.text)")
            let placed = try await api.call(.post, "/api/v1/inbox/\(item)/place", as: "bt-tan-lap", json: #"{"program":\#(tanLap),"position":2}"#)
            #expect(placed.status == 200 && placed.object["state"] as? String == "placed", "\(placed.text)")
            let day = try #require(placed.object["date"] as? String)

            // The commune's gateways play it that day, between the jingle and the news.
            let schedule = try await GatewayScheduleSource(store: h.database).schedule(for: "xa-tan-lap-01")
            #expect(schedule.validate().isEmpty, "\(schedule.validate())")
            let stamp = day.replacingOccurrences(of: "-", with: "")
            let thatDay = schedule.entries.filter { $0.recurrence == .once(LocalDate(day)!) }
            #expect(thatDay.map(\.id) == ["program-\(tanLap).1:\(stamp)", "dispatch-\(item)", "program-\(tanLap).2:\(stamp)"], "\(schedule.entries.map(\.id))")
            #expect(thatDay.map(\.offsetMs) == [0, Int64(jingle.durationMs), Int64(jingle.durationMs + sent.durationMs)])
            #expect(schedule.entries.filter { $0.id.hasPrefix("program-\(tanLap).") && !$0.id.contains(":") }.allSatisfy { $0.exceptDates == [LocalDate(day)!] })
            for other in ["xa-cam-binh-01", "xa-ky-phong-01"] {
                let unplaced = try await GatewayScheduleSource(store: h.database).schedule(for: other)
                #expect(!unplaced.entries.contains { $0.content.sha256 == sent.sha256 }, "\(other) plays only what its commune placed")
            }

            // The other commune declines (an operator above it may act for it).
            let other = try #require(targets.first { $0["areaId"] as? String == "xa-cam-binh" }?["id"] as? Int)
            let noReason = try await api.call(.post, "/api/v1/inbox/\(other)/decline", as: "op-cam-xuyen", json: #"{"reason":"  "}"#)
            #expect(noReason.status == 422, "\(noReason.text)")
            let declined = try await api.call(.post, "/api/v1/inbox/\(other)/decline", as: "op-cam-xuyen", json: #"{"reason":"Đã phát tuần trước"}"#)
            #expect(declined.status == 200 && declined.object["state"] as? String == "declined", "\(declined.text)")
            #expect(try await api.call(.post, "/api/v1/inbox/\(other)/decline", as: "op-cam-xuyen", json: #"{"reason":"again"}"#).status == 409)

            // The sender sees each commune's fate.
            let status = try await api.call(.get, "/api/v1/dispatches/\(dispatchID)", as: "admin")
            let states = (status.object["targets"] as? [[String: Any]] ?? []).map {
                "\($0["areaId"] as? String ?? "?"):\($0["state"] as? String ?? "?"):\($0["reason"] as? String ?? "-")"
            }
            #expect(states == ["xa-cam-binh:declined:Đã phát tuần trước", "xa-ky-phong:delivered:-", "xa-tan-lap:placed:-"], "\(states)")
            #expect(try await api.call(.get, "/api/v1/dispatches/\(dispatchID)", as: "op-nghe-an").status == 403)

            // Once its occurrence has started, it stays where it is.
            h.clock.advance(by: 2_400 + 60)
            let late = try await api.call(.post, "/api/v1/inbox/\(item)/place", as: "bt-tan-lap", json: #"{"program":\#(tanLap),"position":1}"#)
            #expect(late.status == 409, "\(late.text)")

            // Both gateways missed it (offline through the occurrence): the sender sees it missed.
            let missed = ["xa-tan-lap-01", "xa-tan-lap-02"].map { gateway in
                PlayLogEntry(eventID: MissedSweep.eventID(gatewayID: gateway, itemID: "dispatch-\(item)@1#0"), gatewayID: gateway,
                             itemID: "dispatch-\(item)@1#0", bulletinSHA256: sent.sha256, kind: .missed, at: h.clock.now,
                             detail: "missed reason=gateway-offline", origin: .controller)
            }
            _ = try await h.database.recordMissedByController(Array(missed.prefix(1)))
            let partly = try await api.call(.get, "/api/v1/dispatches/\(dispatchID)", as: "admin").object["targets"] as? [[String: Any]]
            #expect(partly?.last?["state"] as? String == "missed", "one gateway reported, and missed it: \(String(describing: partly))")
            _ = try await h.database.recordPlayEvents([PlayLogEntry(eventID: UUID().uuidString, gatewayID: "xa-tan-lap-02", itemID: "dispatch-\(item)@1#0",
                                                                    bulletinSHA256: sent.sha256, kind: .started, at: h.clock.now)])
            let heard = try await api.call(.get, "/api/v1/dispatches/\(dispatchID)", as: "admin").object["targets"] as? [[String: Any]]
            #expect(heard?.last?["state"] as? String == "placed", "one gateway played it: \(String(describing: heard))")
        }
    }

    @Test func priorityEntersTheFrontOrWaitsAndEmergencyIsAnAnnouncementBroadcastersCannotSend() async throws {
        let h = try await APIHarness.start()
        let news = try await h.bulletin(seconds: 2, frequency: 440)
        let urgent = try await h.bulletin(seconds: 1, frequency: 990)
        try await h.run { api in
            let program = try await Self.program(api, area: "xa-tan-lap", at: "05:30", items: [ProgramAPITests.item("bulletin", news.sha256)])
            let priority = try await api.call(.post, "/api/v1/dispatches", json: """
                {"bulletin":"\(urgent.sha256)","areas":["xa-tan-lap","xa-ky-phong"],"class":"priority"}
                """)
            #expect(priority.status == 201, "\(priority.text)")
            let targets = priority.object["targets"] as? [[String: Any]] ?? []
            let tanLap = targets.first { $0["areaId"] as? String == "xa-tan-lap" }
            let kyPhong = targets.first { $0["areaId"] as? String == "xa-ky-phong" }
            #expect(tanLap?["state"] as? String == "placed" && tanLap?["program"] as? Int == program && tanLap?["position"] as? Int == 1, "\(targets)")
            #expect(kyPhong?["state"] as? String == "waiting" && (kyPhong?["reason"] as? String)?.contains("no program") == true, "\(targets)")
            let schedule = try await GatewayScheduleSource(store: h.database).schedule(for: "xa-tan-lap-01")
            let placedID = try #require(tanLap?["id"] as? Int)
            #expect(schedule.entries.first { $0.id == "dispatch-\(placedID)" }?.offsetMs == 0, "at the front")
            // The commune moves it behind its own item; it cannot decline it.
            let moved = try await api.call(.post, "/api/v1/inbox/\(placedID)/place", as: "bt-tan-lap", json: #"{"program":\#(program),"position":2}"#)
            #expect(moved.status == 200 && moved.object["position"] as? Int == 2, "\(moved.text)")
            #expect(try await api.call(.post, "/api/v1/inbox/\(placedID)/decline", as: "bt-tan-lap", json: #"{"reason":"no"}"#).status == 409)

            // Emergency: refused to a broadcaster; sent by an operator as an emergency-band announcement.
            let refused = try await api.call(.post, "/api/v1/dispatches", as: "bt-tan-lap", json: """
                {"bulletin":"\(urgent.sha256)","areas":["xa-tan-lap"],"class":"emergency"}
                """)
            #expect(refused.status == 403, "\(refused.text)")
            let emergency = try await api.call(.post, "/api/v1/dispatches", as: "op-cam-xuyen", json: """
                {"bulletin":"\(urgent.sha256)","areas":["xa-tan-lap"],"class":"emergency","repeat":2}
                """)
            #expect(emergency.status == 201, "\(emergency.text)")
            #expect((emergency.object["targets"] as? [[String: Any]])?.map { $0["state"] as? String } == ["sent"])
            let announcements = try await h.database.recentAnnouncements(limit: 10)
            #expect(announcements.count == 2 && announcements.allSatisfy { $0.priority == Dispatch.emergencyPriority })
            let audit = try await h.database.auditEntries(after: 0, limit: 1_000)
            #expect(audit.contains { $0.action == "dispatch.emergency" && $0.actor == "op-cam-xuyen" })

            // Bad input, nothing saved.
            let before = try await h.database.allDispatches().count
            for (json, status) in [(#"{"bulletin":"\#(urgent.sha256)","areas":["xa-tan-lap"],"class":"urgent"}"#, 422),
                                   (#"{"bulletin":"\#(urgent.sha256)","areas":[],"class":"normal"}"#, 422),
                                   (#"{"bulletin":"\#(urgent.sha256)","areas":["xa-khong-co"],"class":"normal"}"#, 404),
                                   (#"{"bulletin":"\#(urgent.sha256)","areas":["xa-tan-lap"],"class":"normal","repeat":3}"#, 422),
                                   (#"{"bulletin":"\#(urgent.sha256)","areas":["nghe-an"],"class":"normal"}"#, 403)] {
                let answer = try await api.call(.post, "/api/v1/dispatches", as: "op-cam-xuyen", json: json)
                #expect(answer.status == status, "\(json) → \(answer.text)")
            }
            #expect(try await h.database.allDispatches().count == before)
        }
    }
}
