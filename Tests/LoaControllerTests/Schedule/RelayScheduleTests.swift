import Foundation
import LoaProtocol
import LoaSchedule
import LoaTestSupport
import Testing
@testable import LoaController

/// Scheduled relays: the timetable's decisions as values, then a daily rule a few seconds ahead
/// opened by the real scheduler against a real upstream (Python's HTTP server), sounding on its
/// instant for its duration on a gateway peer of the area, and the API's refusals.
@Suite(.serialized)
struct RelayScheduleTests {
    static let zone = "Asia/Ho_Chi_Minh"

    static func rule(id: Int64 = 1, at seconds: Int, duration: Int = 60, recurrence: ScheduleRule.Recurrence = .daily) -> RelaySchedule {
        RelaySchedule(id: id, areaID: "xa-tan-lap", title: "Tiếp sóng VOV1", relayURL: "http://127.0.0.1:1/vov1.mp3", recurrence: recurrence,
                      timeOfDay: TimeOfDay(secondsSinceMidnight: seconds), validFrom: LocalDate(year: 2026, month: 1, day: 1),
                      durationSeconds: duration, createdBy: "op-cam-xuyen")
    }

    /// 2026-12-01 06:00:00 in Hà Nội.
    static let six = Date(timeIntervalSince1970: 1_796_079_600)

    @Test func windowsOpenTenSecondsAheadOnceAndCloseAtTheirEnd() {
        var table = RelayTimetable()
        let rules = [Self.rule(at: 6 * 3600)]
        #expect(table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(-11)) == .init())
        let opening = table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(-10))
        #expect(opening.open.map(\.window.start) == [Self.six] && opening.close.isEmpty)
        let windowID = try! #require(opening.open.first?.window.id)
        table.opened(windowID, stream: 7)
        #expect(table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(30)) == .init(), "opened once")
        #expect(table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(60)).close == [7])
        #expect(table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(61)) == .init(), "closed once, not reopened")
        // The next day's window opens again.
        #expect(table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(86_390)).open.count == 1)
    }

    @Test func aControllerStartedMidWindowOpensItAndADeletedRuleCloses() {
        var table = RelayTimetable()
        let rules = [Self.rule(at: 6 * 3600, duration: 1800)]
        let plan = table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(600))
        #expect(plan.open.map(\.window.start) == [Self.six], "a window on air when the controller starts opens at once")
        table.opened(plan.open[0].window.id, stream: 3)
        #expect(table.plan(relays: [], timeZone: Self.zone, now: Self.six.addingTimeInterval(601)).close == [3])
        #expect(table.plan(relays: rules.map(RelayOpening.init(rule:)), timeZone: Self.zone, now: Self.six.addingTimeInterval(602)) == .init(), "not reopened in this run")
    }

    /// A program's relay item opens after the items before it, as the program's item; a
    /// program edited so that the window moves closes the stream of the old window.
    @Test func aProgramsRelayItemOpensAtItsPlaceInTheProgram() {
        let jingle = Bulletin(sha256: String(repeating: "a", count: 64), title: "Nhạc hiệu", durationMs: 20_000, loudnessLUFS: -16,
                              byteSize: 1000, state: .approved, createdBy: "bt", createdAt: Date(timeIntervalSince1970: 0))
        let relay = ProgramRelay(url: "http://127.0.0.1:1/vov1.mp3", title: "Thời sự VOV1", seconds: 600)
        var program = Program(id: 4, areaID: "xa-tan-lap", name: "Sáng", recurrence: .daily, timeOfDay: TimeOfDay(hour: 6, minute: 0),
                              validFrom: LocalDate(year: 2026, month: 1, day: 1), items: [.jingle(sha256: jingle.sha256), .relay(relay)],
                              createdBy: "bt-tan-lap")
        let bulletins = [jingle.sha256: jingle]
        var table = RelayTimetable()
        let openings = RelayOpening.program(program, bulletins: bulletins, insertions: [])
        #expect(openings.map(\.programItem) == ["program-4.2"] && openings.first?.relayURL == relay.url && openings.first?.relayScheduleID == nil)
        #expect(table.plan(relays: openings, timeZone: Self.zone, now: Self.six.addingTimeInterval(9)) == .init(), "the jingle plays first")
        let plan = table.plan(relays: openings, timeZone: Self.zone, now: Self.six.addingTimeInterval(10))
        #expect(plan.open.map(\.window.start) == [Self.six.addingTimeInterval(20)])
        table.opened(plan.open[0].window.id, stream: 5)
        // The jingle taken out: the relay now starts at 06:00:00; the old window's stream closes, the new one opens.
        program.items.removeFirst()
        let moved = table.plan(relays: RelayOpening.program(program, bulletins: bulletins, insertions: []), timeZone: Self.zone,
                               now: Self.six.addingTimeInterval(11))
        #expect(moved.close == [5] && moved.open.map(\.window.start) == [Self.six])
    }

    @Test func aDailyRelayPlaysOnItsInstantForItsDurationAndEndsByItself() async throws {
        let h = try await APIHarness.start(live: LiveSettings(relayReconnectFor: .zero))
        let upstream = try await LiveRelayTests.Upstream(in: h.dir)
        defer { upstream.stop() }
        let peer = try await LiveRelayTests.peer("xa-tan-lap-01", h)
        #expect(await eventually { h.fleet.registry.count == 1 })
        let hub = try #require(h.services.live)
        // A whole second 12 s from now, local time.
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 12).rounded(.up))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: Self.zone)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: start)
        let at = String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!)
        let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/relay-schedules", as: "op-cam-xuyen", json: """
                {"areaId":"xa-tan-lap","title":"Tiếp sóng VOV1","relayUrl":"\(upstream.url("tone-30s.mp3"))","recurrence":"daily",
                 "at":"\(at)","from":"\(day)","durationSeconds":10}
                """)
            #expect(created.status == 201, "\(created.text)")
            let ruleID = try #require(created.object["id"] as? Int)
            #expect(created.object["nextWindow"] as? String == APIJSON.time(start) as String, "\(created.text)")
            // The gateway's schedule carries the window.
            let document = try await GatewayScheduleSource(store: h.database, timeZone: Self.zone).schedule(for: "xa-tan-lap-01")
            #expect(document.relays.map(\.id) == ["relay-\(ruleID)"] && document.relays.first?.durationMs == 10_000)

            let scheduler = RelayScheduler(store: h.database, hub: hub, timeZone: Self.zone, logger: TestLog.quiet)
            let ticking = Task {
                while !Task.isCancelled {
                    await scheduler.tick(now: Date())
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            defer { ticking.cancel() }
            #expect(await peer.wait(seconds: 40) { !$0.ends.isEmpty }, "no liveEnd: \(peer.all.count) messages")
            let liveStart = try #require(peer.starts.first)
            #expect(liveStart.startAt == start.millisecondsSince1970, "sounds on the instant: startAt \(liveStart.startAt) vs \(start.millisecondsSince1970)")
            #expect(peer.ends.first?.reason == LiveEndReason.scheduleEnded)
            let (seconds, hz) = try LiveRelayTests.measure(peer)
            #expect(seconds > 9 && seconds < 14, "\(seconds) s relayed for a 10 s window (payloads go out up to 3 s ahead)")
            #expect(abs(hz - 440) < 5)
            let streams = try await api.call(.get, "/api/v1/live", as: "op-cam-xuyen").items
            let stream = try #require(streams.first)
            #expect(stream["endReason"] as? String == "scheduled end" && stream["title"] as? String == "Tiếp sóng VOV1", "\(stream)")
            let row = try await h.database.liveStream(Int64(stream["id"] as? Int ?? 0))
            #expect(row.relayScheduleID == Int64(ruleID) && row.windowStart == start)
        }
    }

    @Test func impossibleOrForbiddenRelaySchedulesAreRefused() async throws {
        let h = try await APIHarness.start(live: LiveSettings())
        let draft = try await h.bulletin(approve: false)
        try await h.run { api in
            let base = #""areaId":"xa-tan-lap","title":"VOV1","relayUrl":"http://127.0.0.1:9/v.mp3","#
            for (body, status, words) in [
                (base + #""recurrence":"once","at":"06:00","from":"2020-01-01","durationSeconds":600"#, 422, "never play"),
                (base + #""recurrence":"daily","at":"06:00","from":"2026-01-01","durationSeconds":5"#, 422, "durationSeconds"),
                (base + #""recurrence":"daily","at":"25:00","from":"2026-01-01","durationSeconds":600"#, 422, "'at'"),
                (base + #""recurrence":"weekly","at":"06:00","from":"2026-01-01","durationSeconds":600"#, 422, "days"),
                (base + #""recurrence":"daily","at":"06:00","from":"2026-01-01","durationSeconds":600,"priority":230"#, 422, "priority"),
                (#""areaId":"xa-tan-lap","title":"x","relayUrl":"file:///etc/passwd","recurrence":"daily","at":"06:00","from":"2026-01-01","durationSeconds":60"#, 422, "relayUrl"),
                (base + #""recurrence":"daily","at":"06:00","from":"2026-01-01","durationSeconds":600,"fallbackBulletin":"\#(draft.sha256)""#, 409, "approved"),
                (#""areaId":"no-such-area","title":"x","relayUrl":"http://127.0.0.1:9/v.mp3","recurrence":"daily","at":"06:00","from":"2026-01-01","durationSeconds":60"#, 404, "area"),
            ] {
                let answer = try await api.call(.post, "/api/v1/relay-schedules", as: "op-cam-xuyen", json: "{" + body + "}")
                #expect(answer.status == status && (answer.errorMessage ?? "").contains(words), "\(body): \(answer.text)")
            }
            let broadcaster = try await api.call(.post, "/api/v1/relay-schedules", as: "bt-tan-lap",
                                                 json: "{" + base + #""recurrence":"daily","at":"06:00","from":"2026-01-01","durationSeconds":600}"#)
            #expect(broadcaster.status == 403, "\(broadcaster.text)")
            let otherProvince = try await api.call(.post, "/api/v1/relay-schedules", as: "op-nghe-an",
                                                   json: "{" + base + #""recurrence":"daily","at":"06:00","from":"2026-01-01","durationSeconds":600}"#)
            #expect(otherProvince.status == 403 || otherProvince.status == 404, "\(otherProvince.text)")
            let good = try await api.call(.post, "/api/v1/relay-schedules", as: "op-cam-xuyen",
                                          json: "{" + base + #""recurrence":"weekly","days":[1,3],"at":"06:00","from":"2026-01-01","durationSeconds":600}"#)
            #expect(good.status == 201, "\(good.text)")
            let id = try #require(good.object["id"] as? Int)
            #expect(try await api.call(.get, "/api/v1/relay-schedules", as: "bt-tan-lap").items.count == 1, "a broadcaster of the commune sees it")
            #expect(try await api.call(.get, "/api/v1/relay-schedules", as: "op-nghe-an").items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/relay-schedules/\(id)", as: "op-nghe-an").status == 403)
            #expect(try await api.call(.delete, "/api/v1/relay-schedules/\(id)", as: "op-cam-xuyen").status == 204)
            #expect(try await api.call(.get, "/api/v1/relay-schedules/\(id)", as: "op-cam-xuyen").status == 404)
        }
    }
}
