import Foundation
import Testing
@testable import LoaController

/// `/api/v1/programs` over the real router and SQLite file: a program made, read, reordered and
/// deleted; each bad input refused in words with nothing saved; clashes named; scope enforced.
@Suite struct ProgramAPITests {
    /// Today in the controller's zone (Asia/Ho_Chi_Minh), as the API writes dates.
    static var today: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func body(area: String = "xa-tan-lap", name: String = "Chương trình sáng", at: String = "05:30", recurrence: String = "daily",
                     from: String = today, extra: String = "", items: [String]) -> String {
        """
        {"areaId":"\(area)","name":"\(name)","recurrence":"\(recurrence)","at":"\(at)","from":"\(from)"\(extra),"items":[\(items.joined(separator: ","))]}
        """
    }

    static func item(_ type: String, _ sha: String) -> String { #"{"type":"\#(type)","bulletin":"\#(sha)"}"# }

    @Test func aProgramIsMadeReadReorderedAndDeleted() async throws {
        let h = try await APIHarness.start()
        let jingle = try await h.bulletin(seconds: 1, frequency: 880)
        let news = try await h.bulletin(seconds: 2, frequency: 440)
        try await h.run { api in
            let made = try await api.call(.post, "/api/v1/programs", as: "bt-tan-lap", json: Self.body(
                extra: #","plannedSeconds":600,"overrun":"play-on""#,
                items: [Self.item("jingle", jingle.sha256), Self.item("bulletin", news.sha256), #"{"type":"pause","seconds":3}"#,
                        Self.item("jingle", jingle.sha256)]))
            #expect(made.status == 201, "\(made.text)")
            let id = try #require(made.object["id"] as? Int)
            let items = made.object["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["offsetMs"] as? Int } == [0, jingle.durationMs, jingle.durationMs + news.durationMs,
                                                           jingle.durationMs + news.durationMs + 3_000])
            #expect(items.map { $0["type"] as? String } == ["jingle", "bulletin", "pause", "jingle"])
            #expect(made.object["lengthMs"] as? Int == 2 * jingle.durationMs + news.durationMs + 3_000)
            #expect((made.object["nextOccurrences"] as? [String])?.count == 5)
            #expect(made.object["createdBy"] as? String == "bt-tan-lap")

            #expect(try await api.call(.get, "/api/v1/programs/\(id)", as: "op-cam-xuyen").status == 200, "the district sees its commune's program")
            #expect(try await api.call(.get, "/api/v1/programs/\(id)", as: "op-nghe-an").status == 403)
            #expect(try await api.call(.get, "/api/v1/programs?area=xa-tan-lap").items.count == 1)
            #expect(try await api.call(.get, "/api/v1/programs?area=xa-cam-binh").items.isEmpty)

            // Reordered as a whole: the news first, then the jingle.
            let reordered = try await api.call(.put, "/api/v1/programs/\(id)", as: "bt-tan-lap", json: Self.body(
                items: [Self.item("bulletin", news.sha256), Self.item("jingle", jingle.sha256)]))
            #expect(reordered.status == 200, "\(reordered.text)")
            #expect((reordered.object["items"] as? [[String: Any]] ?? []).map { $0["bulletin"] as? String } == [news.sha256, jingle.sha256])
            #expect(reordered.object["overrun"] as? String == "finish-item")

            // The gateways' schedules carry it, and lose it when deleted.
            let schedule = try await GatewayScheduleSource(store: h.database).schedule(for: "xa-tan-lap-01")
            #expect(schedule.entries.map(\.id) == ["program-\(id).1", "program-\(id).2"])
            #expect(try await api.call(.delete, "/api/v1/programs/\(id)", as: "bt-tan-lap").status == 204)
            #expect(try await api.call(.get, "/api/v1/programs/\(id)").status == 404)
            #expect(try await GatewayScheduleSource(store: h.database).schedule(for: "xa-tan-lap-01").entries.isEmpty)
        }
    }

    @Test func badProgramsAreRefusedInWordsAndNothingIsSaved() async throws {
        let h = try await APIHarness.start()
        let good = try await h.bulletin(seconds: 1, frequency: 440)
        let draft = try await h.bulletin(seconds: 1, frequency: 550, approve: false)
        let unknown = String(repeating: "ab", count: 32)
        try await h.run { api in
            func refused(_ json: String, _ status: Int, _ words: String, code: String? = nil, as user: String = "admin") async throws {
                let answer = try await api.call(.post, "/api/v1/programs", as: user, json: json)
                #expect(answer.status == status, "\(json) → \(answer.status) \(answer.text)")
                #expect(answer.errorMessage?.contains(words) == true, "\(answer.text) should say '\(words)'")
                if let code { #expect(answer.errorCode == code, "\(answer.text)") }
            }
            try await refused(Self.body(items: [Self.item("bulletin", draft.sha256)]), 409, "is draft; a program plays approved bulletins only",
                              code: "not_approved")
            try await refused(Self.body(items: [Self.item("bulletin", good.sha256), Self.item("jingle", unknown)]), 422,
                              "item 2: bulletin abababab… does not exist")
            try await refused(Self.body(items: [#"{"type":"song","bulletin":"\#(good.sha256)"}"#]), 422, "'type' must be bulletin, jingle, pause or relay")
            try await refused(Self.body(items: [#"{"type":"pause"}"#, Self.item("bulletin", good.sha256)]), 422, "item 1: a pause needs 'seconds'")
            try await refused(Self.body(items: [#"{"type":"pause","seconds":5}"#]), 422, "only pauses")
            try await refused(Self.body(items: []), 422, "1 to 100 items")
            try await refused(Self.body(extra: #","plannedSeconds":5"#, items: [Self.item("bulletin", good.sha256)]), 422, "'plannedSeconds' must be 10–21600")
            try await refused(Self.body(extra: #","overrun":"stop""#, items: [Self.item("bulletin", good.sha256)]), 422, "'overrun' must be finish-item")
            try await refused(Self.body(recurrence: "once", from: "2020-01-01", items: [Self.item("bulletin", good.sha256)]), 422,
                              "this program would never play")
            try await refused(Self.body(area: "xa-khong-co", items: [Self.item("bulletin", good.sha256)]), 404, "xa-khong-co")
            try await refused(Self.body(area: "xa-cam-binh", items: [Self.item("bulletin", good.sha256)]), 403, "outside your area", as: "bt-tan-lap")
            try await refused(Self.body(at: "25:00", items: [Self.item("bulletin", good.sha256)]), 422, "'at' must be HH:MM")
            #expect(try await api.call(.get, "/api/v1/programs").items.isEmpty, "nothing saved half-way")
            #expect(try await h.database.allPrograms().isEmpty)
        }
    }

    /// A relay item (the provincial news relayed between two bulletins): saved with its URL,
    /// title, length and stand-in, shown on the time line, sent to the gateways as a window;
    /// each bad relay refused in words, a stand-in not approved refused, nothing saved.
    @Test func aRelayItemIsSavedShownAndSentAsAWindowAndBadOnesAreRefused() async throws {
        var live = LiveSettings()
        live.relayHosts = ["radio.example.vn"]
        let h = try await APIHarness.start(live: live)
        let jingle = try await h.bulletin(seconds: 1, frequency: 880)
        let standIn = try await h.bulletin(seconds: 2, frequency: 440)
        let draft = try await h.bulletin(seconds: 1, frequency: 550, approve: false)
        @Sendable func relay(_ fields: String) -> String { #"{"type":"relay"\#(fields)}"# }
        let good = relay(#","url":"http://radio.example.vn/vov1.mp3","title":"Thời sự VOV1","seconds":600,"fallbackBulletin":"\#(standIn.sha256)""#)
        try await h.run { api in
            func refused(_ item: String, _ status: Int, _ words: String) async throws {
                let answer = try await api.call(.post, "/api/v1/programs", as: "bt-tan-lap",
                                                json: Self.body(items: [Self.item("jingle", jingle.sha256), item]))
                #expect(answer.status == status, "\(item) → \(answer.status) \(answer.text)")
                #expect(answer.errorMessage?.contains(words) == true, "\(answer.text) should say '\(words)'")
            }
            try await refused(relay(#","title":"x","seconds":600"#), 422, "item 2: a relay needs 'url'")
            try await refused(relay(#","url":"http://other.example/x.mp3","title":"x","seconds":600"#), 422,
                              "item 2: 'url': host 'other.example' is not one this controller relays from")
            try await refused(relay(#","url":"file:///etc/passwd","title":"x","seconds":600"#), 422, "item 2: 'url' must be an http://")
            try await refused(relay(#","url":"http://radio.example.vn/a","title":"  ","seconds":600"#), 422, "a relay needs a 'title'")
            try await refused(relay(#","url":"http://radio.example.vn/a","title":"x","seconds":5"#), 422, "a relay needs 'seconds', 10 to 21600")
            try await refused(relay(#","url":"http://radio.example.vn/a","title":"x","seconds":60,"bulletin":"\#(jingle.sha256)""#), 422,
                              "a relay plays no bulletin of its own")
            try await refused(#"{"type":"jingle","bulletin":"\#(jingle.sha256)","url":"http://radio.example.vn/a"}"#, 422, "only for a relay")
            try await refused(relay(#","url":"http://radio.example.vn/a","title":"x","seconds":60,"fallbackBulletin":"\#(draft.sha256)""#), 409,
                              "is draft; a program plays approved bulletins only")
            #expect(try await h.database.allPrograms().isEmpty, "nothing saved half-way")

            let made = try await api.call(.post, "/api/v1/programs", as: "bt-tan-lap",
                                          json: Self.body(items: [Self.item("jingle", jingle.sha256), good, Self.item("jingle", jingle.sha256)]))
            #expect(made.status == 201, "\(made.text)")
            let id = try #require(made.object["id"] as? Int)
            let items = made.object["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["type"] as? String } == ["jingle", "relay", "jingle"])
            #expect(items[1]["url"] as? String == "http://radio.example.vn/vov1.mp3" && items[1]["title"] as? String == "Thời sự VOV1")
            #expect(items[1]["fallbackBulletin"] as? String == standIn.sha256 && items[1]["seconds"] as? Int == 600)
            #expect(items.map { $0["offsetMs"] as? Int } == [0, jingle.durationMs, jingle.durationMs + 600_000])
            #expect(made.object["lengthMs"] as? Int == 2 * jingle.durationMs + 600_000)

            let schedule = try await GatewayScheduleSource(store: h.database).schedule(for: "xa-tan-lap-01")
            #expect(schedule.entries.map(\.id) == ["program-\(id).1", "program-\(id).3"])
            #expect(schedule.relays.map(\.id) == ["program-\(id).2"])
            #expect(schedule.relays.first?.offsetMs == Int64(jingle.durationMs) && schedule.relays.first?.fallback?.sha256 == standIn.sha256)
            #expect(schedule.contents.map(\.sha256).contains(standIn.sha256), "the gateway caches the stand-in")
            // Its stand-in cannot be deleted from under it.
            #expect(try await h.database.programs(playing: standIn.sha256).map(\.id) == [Int64(id)])
            #expect(try await h.database.programsWithRelays().map(\.id) == [Int64(id)])
        }
    }

    /// A program edited while it plays: the response and the gateways' schedule say that
    /// occurrence goes on from the next item; an edit when it is not on air clears that.
    @Test func anEditWhileOnAirTakesEffectFromTheNextItem() async throws {
        let h = try await APIHarness.start()
        let jingle = try await h.bulletin(seconds: 1, frequency: 880)
        let news = try await h.bulletin(seconds: 2, frequency: 440)
        // A daily program a minute ahead of the test clock, in the controller's zone.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let start = Date(timeIntervalSince1970: (h.clock.now.timeIntervalSince1970 / 60).rounded(.up) * 60 + 60)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        let at = String(format: "%02d:%02d", c.hour!, c.minute!)
        let first = Self.body(at: at, from: day, items: [Self.item("jingle", jingle.sha256), Self.item("bulletin", news.sha256),
                                                          Self.item("jingle", jingle.sha256)])
        let second = Self.body(at: at, from: day, items: [Self.item("jingle", jingle.sha256), Self.item("bulletin", news.sha256),
                                                           #"{"type":"pause","seconds":3}"#, Self.item("bulletin", news.sha256)])
        try await h.run { api in
            let made = try await api.call(.post, "/api/v1/programs", as: "bt-tan-lap", json: first)
            let id = try #require(made.object["id"] as? Int, "\(made.text)")
            #expect(made.object["cutover"] is NSNull, "\(made.text)")
            // Half a second into the news (the jingle is 1 s).
            h.clock.advance(by: start.timeIntervalSince(h.clock.now) + 1.5)
            let edited = try await api.call(.put, "/api/v1/programs/\(id)", as: "bt-tan-lap", json: second)
            #expect(edited.status == 200, "\(edited.text)")
            let cutover = edited.object["cutover"] as? [String: Any]
            #expect(cutover?["date"] as? String == day && cutover?["afterPosition"] as? Int == 2
                    && cutover?["resumeAtMs"] as? Int == jingle.durationMs + news.durationMs, "\(edited.text)")
            let schedule = try await GatewayScheduleSource(store: h.database).schedule(for: "xa-tan-lap-01")
            let compact = day.replacingOccurrences(of: "-", with: "")
            #expect(schedule.entries.map(\.id) == ["program-\(id).1", "program-\(id).2", "program-\(id).4", "program-\(id).4:\(compact)"])
            #expect(schedule.entries.last?.offsetMs == Int64(jingle.durationMs + news.durationMs + 3_000), "after the news and the new pause")
            // Edited again after the occurrence: no cutover.
            h.clock.advance(by: 600)
            let later = try await api.call(.put, "/api/v1/programs/\(id)", as: "bt-tan-lap", json: first)
            #expect(later.status == 200 && later.object["cutover"] is NSNull, "\(later.text)")
        }
    }

    @Test func aClashAtEqualPriorityIsRefusedNamingItAnotherPriorityIsAChoice() async throws {
        let h = try await APIHarness.start()
        let news = try await h.bulletin(seconds: 2, frequency: 440)
        try await h.run { api in
            // A bulletin scheduled daily at 05:30:01 on the district (and so on the commune's gateways).
            let rule = try await api.call(.post, "/api/v1/schedules", json: """
                {"bulletin":"\(news.sha256)","areas":["cam-xuyen"],"recurrence":"daily","at":"05:30:01","from":"\(Self.today)"}
                """)
            #expect(rule.status == 201, "\(rule.text)")
            let ruleID = try #require(rule.object["id"] as? Int)
            let clash = try await api.call(.post, "/api/v1/programs", json: Self.body(items: [Self.item("bulletin", news.sha256)]))
            #expect(clash.status == 409 && clash.errorCode == "clash", "\(clash.text)")
            #expect(clash.errorMessage?.contains("schedule entry \(ruleID)") == true && clash.errorMessage?.contains("05:30:01–05:30:03") == true,
                    "\(clash.text)")
            // At 06:00 it meets nothing; a second program at 06:00:01 meets the first.
            let six = try await api.call(.post, "/api/v1/programs", json: Self.body(name: "Sáu giờ", at: "06:00", items: [Self.item("bulletin", news.sha256)]))
            #expect(six.status == 201, "\(six.text)")
            let other = try await api.call(.post, "/api/v1/programs", json: Self.body(area: "xa-tan-lap", name: "Chồng", at: "06:00:01",
                                                                                       items: [Self.item("bulletin", news.sha256)]))
            #expect(other.status == 409 && other.errorMessage?.contains("program 'Sáu giờ'") == true, "\(other.text)")
            // The commune next door shares no gateway with it.
            let nextDoor = try await api.call(.post, "/api/v1/programs", json: Self.body(area: "xa-cam-binh", at: "06:00:01",
                                                                                          items: [Self.item("bulletin", news.sha256)]))
            #expect(nextDoor.status == 201, "\(nextDoor.text)")
            // At a higher priority the program wins on the gateway: a choice, not a clash.
            let urgent = try await api.call(.post, "/api/v1/programs", json: Self.body(name: "Tin gấp", at: "05:30",
                                                                                        extra: #","priority":90"#, items: [Self.item("bulletin", news.sha256)]))
            #expect(urgent.status == 201, "\(urgent.text)")
            // Editing a program does not clash with itself.
            let sixID = try #require(six.object["id"] as? Int)
            let edited = try await api.call(.put, "/api/v1/programs/\(sixID)", json: Self.body(name: "Sáu giờ", at: "06:00",
                                                                                                items: [Self.item("jingle", news.sha256)]))
            #expect(edited.status == 200, "\(edited.text)")
        }
    }
}
