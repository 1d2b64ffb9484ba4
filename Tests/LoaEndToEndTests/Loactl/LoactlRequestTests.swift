import Foundation
import Testing
@testable import loactl

/// loactl's pure parts: arguments → requests, without a server.
@Suite struct LoactlRequestTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-19T…Z

    @Test func loginIsTheOnlyRequestWithoutAToken() throws {
        let login = APIRoutes.login(user: "admin", password: "mật khẩu")
        #expect(login.method == "POST" && login.path == "/api/v1/login" && !login.authenticated)
        #expect(JSONValue(data: try #require(login.body)) == ["username": "admin", "password": "mật khẩu"])
        #expect(APIRoutes.gateways(area: nil).authenticated)
    }

    @Test func queryValuesAreEncodedSoATimeKeepsItsPlus() throws {
        var request = APIRequest("GET", "/api/v1/play-log", query: [("since", "2026-11-29T06:00:00+07:00"), ("area", nil), ("gateway", "xa tân")])
        request.accept = "text/csv"
        let url = try #require(request.url(base: URL(string: "http://127.0.0.1:8080/")!))
        #expect(url.absoluteString == "http://127.0.0.1:8080/api/v1/play-log?since=2026-11-29T06:00:00%2B07:00&gateway=xa%20t%C3%A2n")
        #expect(APIRoutes.gateway("a/b?c", history: 3).path == "/api/v1/gateways/a%2Fb%3Fc")
    }

    @Test(arguments: [
        ([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45] as [UInt8], "x.bin", "audio/wav"),
        ([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0, 0], "x", "audio/mpeg"),
        ([0xFF, 0xF3, 0x44, 0xC4, 0, 0, 0, 0, 0, 0, 0, 0], "x", "audio/mpeg"),
        ([0x41, 0x42], "notes.txt", "application/octet-stream"),
        ([0x41, 0x42], "ban-tin.mp3", "audio/mpeg"),
    ])
    func uploadsSayWhatTheyCarry(bytes: [UInt8], name: String, type: String) {
        let request = APIRoutes.upload(Data(bytes), fileName: "/tmp/" + name, title: nil)
        #expect(request.contentType == type)
        #expect(request.query.first?.1 == (name as NSString).deletingPathExtension, "the title defaults to the file name")
    }

    @Test func spokenBulletinsPostTheTextAndAPreviewAsksForWAV() throws {
        let save = APIRoutes.speech(["text": "Xin chào bà con", "rate": 120], preview: false)
        #expect(save.method == "POST" && save.path == "/api/v1/bulletins/speech" && save.accept != "audio/wav")
        #expect(JSONValue(data: try #require(save.body)) == ["text": "Xin chào bà con", "rate": 120])
        let preview = APIRoutes.speech(["text": "Xin chào"], preview: true)
        #expect(preview.path == "/api/v1/bulletins/speech/preview" && preview.accept == "audio/wav")
    }

    @Test func commandBodiesFollowTheContract() throws {
        #expect(JSONValue(data: try APIRoutes.volume("g", percent: 80).body!) == ["action": "volume", "percent": 80])
        #expect(JSONValue(data: try APIRoutes.testTone("g", seconds: 5, frequencyHz: 1000).body!)
                == ["action": "test-tone", "seconds": 5, "frequencyHz": 1000])
        #expect(JSONValue(data: try APIRoutes.logs("g", lines: 100).body!) == ["action": "logs", "lines": 100])
        #expect(JSONValue(data: APIRoutes.restart("g").body!) == ["action": "restart"])
        #expect(APIRoutes.restart("g").path == "/api/v1/gateways/g/commands")
        #expect(JSONValue(data: try APIRoutes.startLive(area: "a", title: "t", priority: nil, device: "default").body!)
                == ["areaId": "a", "title": "t", "captureDevice": "default"])
        #expect(JSONValue(data: try APIRoutes.startLive(area: "a", title: "t", priority: 170, relay: "http://x/y").body!)
                == ["areaId": "a", "title": "t", "priority": 170, "relayUrl": "http://x/y"])
        let now = Date(timeIntervalSince1970: 1_796_083_200)
        let relay = RelaySpec(area: "xa", title: "VOV1", url: "http://x/v.mp3", duration: 1800, fallback: nil,
                              when: ScheduleSpec(bulletin: "", areas: ["xa"], weekly: "1,3", at: "06:00", from: "2026-12-01"))
        #expect(try relay.input(now: now, priority: nil) == ["areaId": "xa", "title": "VOV1", "relayUrl": "http://x/v.mp3", "recurrence": "weekly",
                                                           "days": [1, 3], "at": "06:00", "from": "2026-12-01", "until": nil, "durationSeconds": 1800])
        #expect(throws: APIFailure.self) { try RelaySpec(area: "xa", title: "t", url: "u", duration: 5, when: relay.when).input(now: now, priority: nil) }
        #expect(throws: APIFailure.self) { try relay.input(now: now, priority: 230) }
    }

    @Test(arguments: [
        { _ = try APIRoutes.volume("g", percent: 101) },
        { _ = try APIRoutes.testTone("g", seconds: 0, frequencyHz: 1000) },
        { _ = try APIRoutes.logs("g", lines: 0) },
        { _ = try APIRoutes.startLive(area: "a", title: "t", priority: nil, relay: "http://x/y", device: "default") },
        { _ = try APIRoutes.addGateway(id: "g", name: nil, area: "a", latitude: 16, longitude: nil) },
        { _ = try APIRoutes.announce(bulletin: "x", areas: [], gateways: [], priority: 150, startAt: nil, expiresInSeconds: nil) },
        { _ = try APIRoutes.announce(bulletin: "x", areas: ["a"], gateways: [], priority: 300, startAt: nil, expiresInSeconds: nil) },
        { _ = try APIRoutes.preview(from: Date(), to: Date().addingTimeInterval(-1), area: nil, gateway: nil) },
        { _ = try APIRoutes.preview(from: Date(), to: Date().addingTimeInterval(32 * 86400), area: nil, gateway: nil) },
    ] as [@Sendable () throws -> Void])
    func badValuesAreRefusedBeforeAnythingIsSent(build: @Sendable () throws -> Void) {
        #expect(throws: APIFailure.self) { try build() }
        do { try build() } catch let failure as APIFailure {
            #expect(failure.exitStatus == 64, "\(failure)")
        } catch {}
    }

    @Test func anAnnouncementCarriesTargetsPriorityAndExpiry() throws {
        let request = try APIRoutes.announce(bulletin: "ab", areas: ["huyen"], gateways: ["g1"], priority: 150,
                                             startAt: Date(timeIntervalSince1970: 0), expiresInSeconds: 600)
        #expect(JSONValue(data: request.body!) == ["bulletin": "ab", "areas": ["huyen"], "gateways": ["g1"], "priority": 150,
                                                   "startAt": "1970-01-01T00:00:00.000Z", "expiresInSeconds": 600])
    }

    @Test func aOneOffInSecondsIsTheLocalDateAndTimeInVietnam() throws {
        // 2026-11-29T16:59:50Z is 23:59:50 in Hanoi; 15 s later is the next local day.
        let now = TimeArgument.rfc3339("2026-11-29T16:59:50Z")!
        let input = try ScheduleSpec(bulletin: "ab", areas: ["xa"], inSeconds: 15, priority: 70).input(now: now)
        #expect(input == ["bulletin": "ab", "areas": ["xa"], "gateways": [], "recurrence": "once", "at": "00:00:05",
                          "from": "2026-11-30", "until": nil, "priority": 70])
    }

    @Test func weeklyDailyAndOnceBecomeTheirInputs() throws {
        let weekly = try ScheduleSpec(bulletin: "ab", gateways: ["g"], weekly: "1, 3,5", at: "06:30", from: "2026-12-01",
                                      until: "2027-01-31", repeatCount: 2, onBusy: "preempt", onInterrupt: "restart").input(now: now)
        #expect(weekly["recurrence"] == "weekly" && weekly["days"] == [1, 3, 5] && weekly["until"] == "2027-01-31")
        #expect(weekly["repeat"] == 2 && weekly["onBusy"] == "preempt" && weekly["onInterrupt"] == "restart")
        let once = try ScheduleSpec(bulletin: "ab", areas: ["xa"], once: "2026-12-24", at: "19:00:00").input(now: now)
        #expect(once["from"] == "2026-12-24" && once["recurrence"] == "once" && once["priority"] == nil)
        let daily = try ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true, at: "05:00").input(now: now)
        #expect(daily["from"] == .string(TimeArgument.localDateAndTime(after: 0, now: now).date))
    }

    @Test(arguments: [
        ScheduleSpec(bulletin: "ab", areas: ["xa"], at: "06:30"),                                   // no recurrence
        ScheduleSpec(bulletin: "ab", areas: ["xa"], once: "2026-12-01", daily: true, at: "06:30"),  // two
        ScheduleSpec(bulletin: "ab", daily: true, at: "06:30"),                                     // no target
        ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true, at: "25:00"),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true, at: "6:30"),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true),                                   // no time
        ScheduleSpec(bulletin: "ab", areas: ["xa"], once: "2026-02-30", at: "06:30"),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], weekly: "1,8", at: "06:30"),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true, at: "06:30", until: "31/12/2026"),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true, at: "06:30", priority: 256),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true, at: "06:30", repeatCount: 11),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], daily: true, at: "06:30", onBusy: "later"),
        ScheduleSpec(bulletin: "ab", areas: ["xa"], inSeconds: 10, at: "06:30"),
    ])
    func badSchedulesAreRefusedNamingTheOption(spec: ScheduleSpec) {
        #expect(throws: APIFailure.self) { try spec.input(now: now) }
    }

    @Test func timeArgumentsTakeRFC3339DatesAndDurations() throws {
        #expect(try TimeArgument.parse("now", now: now) == now)
        #expect(try TimeArgument.parse("30m", now: now) == now.addingTimeInterval(-1800))
        #expect(try TimeArgument.parse("-2h", now: now) == now.addingTimeInterval(-7200))
        #expect(try TimeArgument.parse("+1d", now: now) == now.addingTimeInterval(86400))
        #expect(TimeArgument.format(try TimeArgument.parse("2026-11-29T06:23:17.123Z", now: now)) == "2026-11-29T06:23:17.123Z")
        #expect(TimeArgument.format(try TimeArgument.parse("2026-11-29T13:00:00+07:00", now: now)) == "2026-11-29T06:00:00.000Z")
        #expect(TimeArgument.format(try TimeArgument.parse("2026-11-29", now: now)) == "2026-11-28T17:00:00.000Z", "local midnight")
        for bad in ["yesterday", "2026-13-01", "5x", "", "+-3h"] {
            #expect(throws: APIFailure.self, "\(bad)") { try TimeArgument.parse(bad, now: now) }
        }
    }
}
