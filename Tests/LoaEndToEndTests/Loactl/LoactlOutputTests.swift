import Foundation
import Testing
@testable import loactl

/// loactl's pure parts: answers → tables and errors, the session, without a server.
@Suite struct LoactlOutputTests {
    @Test func aPeriodReportIsARowACommuneAndATotal() throws {
        let tally = #"{"count":3,"seconds":150,"minutes":2.5}"#, zero = #"{"count":0,"seconds":0,"minutes":0}"#
        let classes = #"{"own":\#(tally),"normal":\#(zero),"priority":\#(zero),"emergency":\#(zero)}"#
        let origins = #"{"own":\#(tally),"district":\#(zero),"province":\#(zero),"centre":\#(zero),"relay":\#(zero)}"#
        let commune = #"{"areaId":"xa-a","name":"Xã A","broadcasts":\#(tally),"byClass":\#(classes),"byOrigin":\#(origins),"#
            + #""programs":{"planned":30,"run":28},"plays":\#(tally),"missed":2,"gateways":[{"id":"a-1","name":"A","plays":\#(tally),"#
            + #""missed":2,"onlineSeconds":900,"uptimeSeconds":1000,"observedSeconds":1000}]}"#
        let body = #"{"area":{"id":"p","name":"Hà Tĩnh","kind":"province"},"from":"2026-11-01","to":"2026-11-30","timeZone":"Asia/Ho_Chi_Minh","#
            + #""generatedAt":"2026-12-01T00:00:00.000Z","communes":[\#(commune)],"totals":{"communes":1,"gateways":1,"broadcasts":\#(tally),"#
            + #""byClass":\#(classes),"byOrigin":\#(origins),"programs":{"planned":30,"run":28},"plays":\#(tally),"missed":2,"#
            + #""onlineSeconds":900,"uptimeSeconds":1000,"observedSeconds":1000}}"#
        let text = APITables.periodReport(try #require(JSONValue(data: Data(body.utf8))))
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("Hà Tĩnh 2026-11-01 … 2026-11-30") == true)
        #expect(lines.count == 4, "head, header, one commune, the total")
        #expect(lines[2].contains("Xã A") && lines[2].contains("3 / 2.5 min") && lines[2].contains("28/30") && lines[2].contains("90.0%"))
        #expect(lines[3].hasPrefix("total"))
        let request = APIRoutes.periodReport(area: "p", month: "2026-11", from: nil, to: nil, csv: true, gatewayRows: true)
        #expect(request.path == "/api/v1/reports/period" && request.accept == "text/csv")
        #expect(request.query.map { "\($0.0)=\($0.1)" } == ["area=p", "month=2026-11", "format=csv", "rows=gateways"])
    }

    @Test func anAPIErrorBecomesItsMessageAndASysexitsCode() {
        func failure(_ status: Int, _ body: String, retryAfter: String? = nil) -> APIFailure {
            APIFailure.from(APIResponse(status: status, contentType: "application/json", retryAfter: retryAfter, body: Data(body.utf8)))
        }
        let refused = failure(422, #"{"error":{"code":"validation_failed","message":"'until' 2026-01-01 is before 'from' 2026-02-01"}}"#)
        #expect(refused.description == "'until' 2026-01-01 is before 'from' 2026-02-01 (validation_failed, HTTP 422)")
        #expect(refused.exitStatus == 65)
        #expect(failure(403, #"{"error":{"code":"forbidden","message":"outside your area"}}"#).exitStatus == 77)
        let expired = failure(401, #"{"error":{"code":"unauthorized","message":"the token has expired"}}"#)
        #expect(expired.description.contains("loactl login") && expired.exitStatus == 77)
        let limited = failure(429, #"{"error":{"code":"rate_limited","message":"too many attempts"}}"#, retryAfter: "120")
        #expect(limited.description.contains("retry after 120 s") && limited.exitStatus == 75)
        #expect(failure(409, #"{"error":{"code":"gateway_offline","message":"xa-01 is offline"}}"#).exitStatus == 69)
        let html = failure(502, "<html>Bad Gateway</html>")
        #expect(html.description.contains("Bad Gateway") && html.description.contains("HTTP 502") && html.exitStatus == 69)
        #expect(failure(404, "").description == "HTTP 404 with no message (not_found, HTTP 404)")
        #expect(APIFailure.unreachable(controller: "http://127.0.0.1:1", reason: "refused").exitStatus == 69)
    }

    /// A gateway's refusal of a command is loactl's failure too (exit 69), not a printed "refused"
    /// with status 0; an answered command and one not answered yet are not.
    @Test func aRefusedGatewayCommandFailsWithSysexitsUnavailable() throws {
        let options = try APIOptions.parse(["--json"])
        do {
            try options.output(command: ["commandId": "c-1", "ok": false, "message": "no volume control"])
            Issue.record("a refusal exited 0")
        } catch let failure as APIFailure {
            #expect(failure.exitStatus == 69 && failure.description == "the gateway refused: no volume control")
        }
        try options.output(command: ["commandId": "c-2", "ok": true, "message": "5 log lines", "output": "a\nb"])
        try options.output(command: ["commandId": "c-3"])
    }

    @Test func theControllerComesFromTheFlagThenTheEnvironmentThenTheSession() throws {
        let session = Session(controller: "http://10.0.0.1:8080", token: "t0k", expiresAt: "2026-11-30T00:00:00.000Z", username: "admin")
        let fromSession = try Connection.resolve(flag: nil, environment: [:], session: session, needsToken: true)
        #expect(fromSession == Connection(controller: URL(string: "http://10.0.0.1:8080")!, token: "t0k"))
        let fromEnvironment = try Connection.resolve(flag: nil, environment: ["LOA_CONTROLLER": "10.0.0.2:8080"], session: session, needsToken: false)
        #expect(fromEnvironment == Connection(controller: URL(string: "http://10.0.0.2:8080")!, token: nil), "a token goes only to its controller")
        let fromFlag = try Connection.resolve(flag: "https://loa.example/", environment: ["LOA_CONTROLLER": "x:1", "LOA_TOKEN": "env"],
                                              session: session, needsToken: true)
        #expect(fromFlag == Connection(controller: URL(string: "https://loa.example")!, token: "env"))
        #expect(throws: APIFailure.self) { try Connection.resolve(flag: nil, environment: [:], session: nil, needsToken: false) }
        #expect(throws: APIFailure.self) { try Connection.resolve(flag: "http://x:1", environment: [:], session: nil, needsToken: true) }
        #expect(throws: APIFailure.self) { try Connection.resolve(flag: "ftp://x", environment: [:], session: nil, needsToken: false) }
        #expect(Session.path(environment: ["LOA_CONFIG_DIR": "/etc/x"]) == "/etc/x/session.json")
        #expect(Session.path(environment: ["HOME": "/home/an"]) == "/home/an/.config/loa/session.json")
    }

    @Test func theSessionFileIsWrittenReadableOnlyByItsOwner() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loactl-session-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/nested/session.json"
        let session = Session(controller: "http://127.0.0.1:8080", token: "secret-token", expiresAt: "x", username: "an")
        try session.save(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Session.load(path: path) == session)
        #expect(try Session.load(path: directory + "/none.json") == nil)
        try Data("{".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: APIFailure.self) { try Session.load(path: path) }
    }

    @Test func gatewaysAreATableWithHealth() throws {
        let answer = JSONValue(data: Data("""
            {"items":[{"id":"xa-tan-lap-01","name":"Cụm loa chợ","areaId":"xa-tan-lap","location":null,"online":true,
              "lastSeenAt":"2026-11-29T06:23:17.123Z","scheduleVersion":4,
              "health":{"volumePercent":80,"nowPlaying":null,"lastError":null,"healthAt":"2026-11-29T06:23:00.000Z"}},
             {"id":"xa-tan-lap-02","name":"Cụm 2","areaId":"xa-tan-lap","location":null,"online":false,"lastSeenAt":null,
              "scheduleVersion":0,"health":null}],"next":null}
            """.utf8))!
        // Times in tables are local (Hà Nội, UTC+7) and say so in the header (issue 15: some
        // commands printed local times, others unlabelled UTC); --json keeps RFC 3339 UTC.
        #expect(APITables.gateways(answer.items) == """
            ID             NAME         AREA        ONLINE   LAST SEEN (UTC+7)    SCHEDULE  VOLUME  PLAYING  LAST ERROR
            xa-tan-lap-01  Cụm loa chợ  xa-tan-lap  online   2026-11-29 13:23:17  v4        80%     -        -
            xa-tan-lap-02  Cụm 2        xa-tan-lap  offline  -                    v0        -       -        -
            """)
        #expect(APITables.gateways([]) == "no gateways")
    }

    @Test func playLogAndAreasRead() throws {
        let log: [JSONValue] = [["eventId": "e1", "gatewayId": "g1", "itemId": "i1", "bulletin": "0123456789abcdef", "kind": "interrupted",
                                 "at": "2026-11-29T06:00:00.000Z", "positionMs": 65_400]]
        #expect(APITables.playLog(log).components(separatedBy: "\n")[0].hasPrefix("AT (UTC+7)"))
        #expect(APITables.playLog(log).components(separatedBy: "\n")[1]
                == "2026-11-29 13:00:00  g1       interrupted  1:05      0123456789ab  i1    -       e1")
        let preview: [JSONValue] = [["startAt": "2026-11-29T23:30:00.000Z", "gatewayId": "g1", "durationMs": 60_000, "priority": 60,
                                     "itemId": "rule-1@1#0", "title": "Bản tin"]]
        #expect(APITables.preview(preview).components(separatedBy: "\n")[1].hasPrefix("2026-11-30 06:30:00"), "the next local day's 06:30")
        let outcomes: [JSONValue] = [["gatewayId": "g1", "itemId": "i1", "outcome": "missed", "positionMs": 0, "events": 1,
                                      "firstAt": "2026-11-29T06:00:00.000Z", "lastAt": "2026-11-29T06:00:00.000Z",
                                      "detail": "missed reason=gateway-down down=1-2", "origin": "gateway"]]
        let lines = APITables.playOutcomes(outcomes).components(separatedBy: "\n")
        #expect(lines[0].hasPrefix("FIRST") && lines[1].contains("missed") && lines[1].hasSuffix("missed reason=gateway-down down=1-2  gateway"),
                "\(lines)")
        let areas: [JSONValue] = [["id": "tinh", "kind": "province", "name": "Tỉnh", "parentId": nil],
                                  ["id": "huyen", "kind": "district", "name": "Huyện", "parentId": "tinh"],
                                  ["id": "xa", "kind": "commune", "name": "Xã", "parentId": "huyen"]]
        #expect(APITables.areas(areas).components(separatedBy: "\n").map { $0.prefix(9) } == ["ID       ", "tinh     ", "  huyen  ", "    xa   "])
        #expect(APITables.duration(.number(3_725_000)) == "1:02:05")
        #expect(APITables.duration(nil) == "-")
    }

    @Test func jsonRoundTripsAndTellsBooleansFromNumbers() throws {
        let text = #"{"a":[1,2.5,true,null,"x\"y"],"b":{"c":false},"d":0}"#
        let value = try #require(JSONValue(data: Data(text.utf8)))
        #expect(value["a"] == [1, .number(2.5), true, nil, "x\"y"])
        #expect(value["b"]?["c"] == false && value["d"] == 0)
        #expect(value.serialized(pretty: false) == #"{"a":[1,2.5,true,null,"x\"y"],"b":{"c":false},"d":0}"#)
        #expect(JSONValue(data: Data(value.serialized(pretty: true).utf8)) == value)
        #expect(JSONValue(data: Data("not json".utf8)) == nil)
    }
}
