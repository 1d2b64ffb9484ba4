import Foundation
import Hummingbird
import GRDB
import LoaProtocol
import NIOCore
import LoaSchedule
import Testing
@testable import LoaController

/// The API end to end in process: real SQLite file, real ingest, gateway ends on loopback.
@Suite(.serialized) struct APIFlowTests {
    @Test func loginTokensExpireLogoutAndRateLimit() async throws {
        let h = try await APIHarness.start(settings: APISettings(tokenTTLSeconds: 600))
        let clock = h.clock
        try await h.run { api in
            let login = try await api.call(.post, "/api/v1/login", as: nil,
                                           json: #"{"username":"op-cam-xuyen","password":"\#(APIHarness.password)"}"#)
            #expect(login.status == 200, "\(login.text)")
            let token = try #require(login.object["token"] as? String)
            #expect(token.count == 43)
            #expect((login.object["user"] as? [String: Any])?["role"] as? String == "operator")
            let expires = try #require(APIJSON.parseTime(login.object["expiresAt"] as? String ?? ""))
            #expect(abs(expires.timeIntervalSince(clock.now) - 600) < 1)
            #expect((login.object["expiresAt"] as? String)?.hasSuffix("Z") == true)
            let me = try await api.call(.get, "/api/v1/me", as: token)
            #expect(me.status == 200 && me.object["username"] as? String == "op-cam-xuyen" && me.object["areaId"] as? String == "cam-xuyen")
            // No token, a bad header, an unknown token: 401.
            #expect(try await api.call(.get, "/api/v1/me", as: nil).status == 401)
            #expect(try await api.call(.get, "/api/v1/me", as: nil, headers: [.authorization: "Basic abc"]).status == 401)
            #expect(try await api.call(.get, "/api/v1/me", as: "not-a-token").errorCode == "unauthorized")
            // Expiry.
            clock.advance(by: 601)
            let expired = try await api.call(.get, "/api/v1/me", as: token)
            #expect(expired.status == 401 && expired.errorMessage?.contains("expired") == true)
            // Logout deletes the token.
            let second = try await api.call(.post, "/api/v1/login", as: nil,
                                            json: #"{"username":"op-cam-xuyen","password":"\#(APIHarness.password)"}"#)
            let token2 = try #require(second.object["token"] as? String)
            #expect(try await api.call(.post, "/api/v1/logout", as: token2).status == 204)
            #expect(try await api.call(.get, "/api/v1/me", as: token2).status == 401)
            // Five wrong passwords, then even the right one waits.
            for _ in 0..<5 {
                let wrong = try await api.call(.post, "/api/v1/login", as: nil, json: #"{"username":"admin","password":"wrong password"}"#)
                #expect(wrong.status == 401 && wrong.errorCode == "unauthorized")
            }
            let limited = try await api.call(.post, "/api/v1/login", as: nil,
                                             json: #"{"username":"admin","password":"\#(APIHarness.password)"}"#)
            #expect(limited.status == 429 && limited.errorCode == "rate_limited", "\(limited.text)")
            let retry = Int(limited.headers[.retryAfter] ?? "") ?? 0
            #expect((1...300).contains(retry))
            // Another user from the same address is not locked out.
            #expect(try await api.call(.post, "/api/v1/login", as: nil,
                                       json: #"{"username":"bt-tan-lap","password":"\#(APIHarness.password)"}"#).status == 200)
            clock.advance(by: 301)
            #expect(try await api.call(.post, "/api/v1/login", as: nil,
                                       json: #"{"username":"admin","password":"\#(APIHarness.password)"}"#).status == 200)
        }
        // A token survives a restart: it lives in the database (only its hash).
        let tokens = try await h.database.read { db in try String.fetchAll(db, sql: "SELECT token_sha256 FROM api_token") }
        #expect(tokens.allSatisfy { $0.count == 64 })
    }

    @Test func uploadApproveScheduleAndPreview() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let wav = TestAudio.wav(seconds: 2, frequency: 523)
            let upload = try await api.call(.post, "/api/v1/bulletins?title=B%E1%BA%A3n%20tin%20s%C3%A1ng", as: "bt-tan-lap", body: wav,
                                            headers: [.contentType: "audio/wav"])
            #expect(upload.status == 201, "\(upload.text)")
            let sha = try #require(upload.object["sha256"] as? String)
            #expect(upload.object["state"] as? String == "draft")
            #expect(upload.object["title"] as? String == "Bản tin sáng")
            #expect(upload.object["approvedBy"] is NSNull, "null fields are present")
            #expect((upload.object["durationMs"] as? Int).map { abs($0 - 2_000) < 50 } == true)
            // The same audio again: 200 with the same bulletin.
            let again = try await api.call(.post, "/api/v1/bulletins", as: "bt-tan-lap", body: wav, headers: [.contentType: "audio/wav"])
            #expect(again.status == 200 && again.object["sha256"] as? String == sha)
            let audio = try await api.call(.get, "/api/v1/bulletins/\(sha)/audio", as: "tech-tan-lap")
            #expect(audio.status == 200 && audio.headers[.contentType] == "audio/mpeg")
            #expect(ContentStore.sha256Hex(of: audio.body) == sha)
            let approved = try await api.call(.post, "/api/v1/bulletins/\(sha)/approve", as: "op-cam-xuyen")
            #expect(approved.object["state"] as? String == "approved" && approved.object["approvedBy"] as? String == "op-cam-xuyen")
            #expect(try await api.call(.get, "/api/v1/bulletins?state=approved", as: "bt-tan-lap").items.count == 1)
            #expect(try await api.call(.get, "/api/v1/bulletins?state=draft", as: "bt-tan-lap").items.isEmpty)
            let created = try await api.call(.post, "/api/v1/schedules", as: "bt-tan-lap", json: """
                {"bulletin":"\(sha)","areas":["xa-tan-lap"],"recurrence":"weekly","days":[1,3,5],"at":"06:30","from":"2026-12-01",
                 "until":"2026-12-31","priority":70,"repeat":2,"onBusy":"preempt","onInterrupt":"restart"}
                """)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.object["at"] as? String == "06:30:00" && created.object["days"] as? [Int] == [1, 3, 5])
            #expect(created.object["createdBy"] as? String == "bt-tan-lap" && created.object["repeat"] as? Int == 2)
            let id = try #require(created.object["id"] as? Int)
            let fetched = try await api.call(.get, "/api/v1/schedules/\(id)", as: "tech-tan-lap")
            #expect(fetched.object["bulletin"] as? String == sha)
            #expect(try await api.call(.get, "/api/v1/schedules?gateway=xa-tan-lap-02", as: "tech-tan-lap").items.count == 1)
            #expect(try await api.call(.get, "/api/v1/schedules?area=xa-cam-binh", as: "op-cam-xuyen").items.isEmpty)
            // 2026-12-07 is a Monday: 06:30 in Vietnam is 23:30 UTC the day before; two back-to-back plays per gateway.
            let preview = try await api.call(.get, "/api/v1/schedules/preview?from=2026-12-06T00:00:00Z&to=2026-12-07T00:00:00Z&area=cam-xuyen",
                                             as: "op-cam-xuyen")
            #expect(preview.status == 200, "\(preview.text)")
            let items = preview.items
            #expect(items.count == 4, "\(preview.text)")
            #expect(Set(items.compactMap { $0["gatewayId"] as? String }) == ["xa-tan-lap-01", "xa-tan-lap-02"])
            #expect(items.first?["startAt"] as? String == "2026-12-06T23:30:00.000Z")
            #expect(items.first?["title"] as? String == "Bản tin sáng" && items.first?["priority"] as? Int == 70)
            #expect(try await api.call(.delete, "/api/v1/schedules/\(id)", as: "op-cam-xuyen").status == 204)
            #expect(try await api.call(.get, "/api/v1/schedules/\(id)").status == 404)
            let archived = try await api.call(.post, "/api/v1/bulletins/\(sha)/archive", as: "op-cam-xuyen")
            #expect(archived.object["state"] as? String == "archived")
        }
    }

    /// Issue 12: the API defaulted an announcement to 150, which is LoaSchedule's live band, so
    /// a default announcement outranked schedules *and* interrupted nothing live could not.
    @Test func aDefaultAnnouncementIsInTheAnnouncementBand() async throws {
        let h = try await APIHarness.start()
        let bulletin = try await h.bulletin()
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/announcements", as: "op-cam-xuyen", json: """
                {"bulletin":"\(bulletin.sha256)","areas":["cam-xuyen"]}
                """)
            #expect(created.status == 201, "\(created.text)")
            let priority = try #require(created.object["priority"] as? Int)
            #expect(Priority(rawValue: UInt8(priority)).band == .announcement, "default priority \(priority)")
            #expect(priority == Int(Priority.announcement.rawValue))
            let refused = try await api.call(.post, "/api/v1/announcements", as: "op-cam-xuyen", json: """
                {"bulletin":"\(bulletin.sha256)","areas":["cam-xuyen"],"priority":300}
                """)
            #expect(refused.status == 422 || refused.status == 400, "\(refused.text)")
            #expect(refused.text.contains("announcements 100–149, default 120"), "\(refused.text)")
        }
    }

    @Test func announcementsReachOnlineGatewaysAndLaterConnectsAndStop() async throws {
        let h = try await APIHarness.start()
        let bulletin = try await h.bulletin()
        let early = EventLog(), late = EventLog(), other = EventLog()
        let channel1 = try await FakeGateway.connect(port: h.gatewayPort, gatewayID: "xa-tan-lap-01",
                                                     secret: try await h.database.handshakeSecret(for: "xa-tan-lap-01").handshakeKey,
                                                     log: early, group: h.group)
        let channel3 = try await FakeGateway.connect(port: h.gatewayPort, gatewayID: "xa-ky-phong-01",
                                                     secret: try await h.database.handshakeSecret(for: "xa-ky-phong-01").handshakeKey,
                                                     log: other, group: h.group)
        #expect(await early.wait(prefix: "ready") != nil)
        #expect(await other.wait(prefix: "ready") != nil)
        #expect(await eventually { h.fleet.registry.count == 2 })
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/announcements", as: "op-cam-xuyen", json: """
                {"bulletin":"\(bulletin.sha256)","areas":["cam-xuyen"],"priority":160,"expiresInSeconds":600}
                """)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.object["id"] as? Int)
            #expect(await early.wait(prefix: "announce announcement-\(id)") != nil, "\(early.all)")
            // A gateway of the district that connects while it is active gets it at once.
            let channel2 = try await FakeGateway.connect(port: h.gatewayPort, gatewayID: "xa-tan-lap-02",
                                                         secret: try await h.database.handshakeSecret(for: "xa-tan-lap-02").handshakeKey,
                                                         log: late, group: h.group)
            #expect(await late.wait(prefix: "announce announcement-\(id)") != nil, "\(late.all)")
            #expect(try await api.call(.get, "/api/v1/announcements?active=true", as: "bt-tan-lap").items.count == 1)
            #expect(try await api.call(.get, "/api/v1/announcements?active=true", as: "op-nghe-an").items.isEmpty)
            let stopped = try await api.call(.post, "/api/v1/announcements/\(id)/stop", as: "op-cam-xuyen")
            #expect(stopped.status == 200 && stopped.object["stoppedBy"] as? String == "op-cam-xuyen", "\(stopped.text)")
            #expect(await early.wait(prefix: "got stop") != nil, "\(early.all)")
            let twice = try await api.call(.post, "/api/v1/announcements/\(id)/stop", as: "op-cam-xuyen")
            #expect(twice.status == 409)
            #expect(try await api.call(.get, "/api/v1/announcements?active=true").items.isEmpty)
            // A gateway in another district received nothing.
            #expect(!other.all.contains { $0.hasPrefix("announce") || $0.hasPrefix("got stop") }, "\(other.all)")
            // Commands: answered by a connected gateway (200), refused for an offline one (409).
            let command = try await api.call(.post, "/api/v1/gateways/xa-tan-lap-01/commands", as: "tech-tan-lap",
                                             json: #"{"action":"volume","percent":80}"#)
            #expect(command.status == 200 && command.object["ok"] as? Bool == true, "\(command.text)")
            #expect(await early.wait(prefix: "command setVolume") != nil)
            let offline = try await api.call(.post, "/api/v1/gateways/xa-cam-binh-01/commands", as: "op-cam-xuyen",
                                             json: #"{"action":"restart"}"#)
            #expect(offline.status == 409 && offline.errorCode == "gateway_offline", "\(offline.text)")
            let listed = try await api.call(.get, "/api/v1/gateways?area=xa-tan-lap", as: "tech-tan-lap")
            #expect(listed.items.map { $0["online"] as? Bool } == [true, true])
            // Close the gateway ends while their event loops still run (run() shuts the group down).
            try? await channel2.close()
            try? await channel1.close()
            try? await channel3.close()
        }
    }

    @Test func gatewaysAreasUsersAuditPlayLogAndPublicRoutes() async throws {
        let h = try await APIHarness.start()
        let bulletin = try await h.bulletin()
        let kinds: [PlayLogEntry.Kind] = [.started, .resumed, .failed]
        var events: [PlayLogEntry] = []
        for i in 0..<3 {
            events.append(PlayLogEntry(eventID: "ev-\(i)", gatewayID: "xa-tan-lap-01", itemID: "rule-1@1796106600#0",
                                    bulletinSHA256: bulletin.sha256, kind: kinds[i],
                                    at: Date(timeIntervalSince1970: 1_796_106_600 + Double(i)), positionMs: i * 1_000))
        }
        events.append(PlayLogEntry(eventID: "ev-other", gatewayID: "xa-dien-hoa-01", itemID: "x", bulletinSHA256: nil, kind: .missed,
                                at: Date(timeIntervalSince1970: 1_796_106_610)))
        try await h.database.recordPlayEvents(events)
        try await h.database.recordHealth(HealthSample(gatewayID: "xa-tan-lap-01", at: h.clock.now,
                                                       report: Data(#"{"volumePercent":70,"softwareVersion":"1.0"}"#.utf8)))
        // What a gateway plays is shown by its title, not its item id (issue 15: "Đang phát: live-1").
        let announced = try await h.database.createAnnouncement(
            NewAnnouncement(content: .bulletin(sha256: bulletin.sha256), target: BroadcastTarget(areaIDs: ["xa-tan-lap"], gatewayIDs: []),
                            priority: 120, startAt: h.clock.now, expiresAt: h.clock.now.addingTimeInterval(600)),
            origin: AuditOrigin(actor: "admin"))
        try await h.database.recordHealth(HealthSample(gatewayID: "xa-tan-lap-02", at: h.clock.now,
                                                       report: Data(#"{"nowPlaying":"announcement-\#(announced.id)"}"#.utf8)))
        try await h.run { api in
            let area = try await api.call(.post, "/api/v1/areas", as: "op-cam-xuyen",
                                          json: #"{"id":"xa-cam-thanh","name":"Xã Cẩm Thành","kind":"commune","parentId":"cam-xuyen"}"#)
            #expect(area.status == 201 && area.object["parentId"] as? String == "cam-xuyen", "\(area.text)")
            let gateway = try await api.call(.post, "/api/v1/gateways", as: "op-cam-xuyen", json: """
                {"id":"xa-cam-thanh-01","name":"Loa chợ","areaId":"xa-cam-thanh","location":{"latitude":18.25,"longitude":106.0}}
                """)
            #expect(gateway.status == 201, "\(gateway.text)")
            let secret = try #require(gateway.object["secret"] as? String)
            #expect(Data(base64Encoded: secret)?.count == 32)
            #expect((gateway.object["gateway"] as? [String: Any])?["online"] as? Bool == false)
            let rotated = try await api.call(.post, "/api/v1/gateways/xa-cam-thanh-01/secret", as: "op-cam-xuyen")
            #expect(rotated.object["secret"] as? String != secret)
            let moved = try await api.call(.patch, "/api/v1/gateways/xa-cam-thanh-01", as: "op-cam-xuyen",
                                           json: #"{"areaId":"xa-cam-binh","location":null}"#)
            #expect(moved.object["areaId"] as? String == "xa-cam-binh" && moved.object["location"] is NSNull, "\(moved.text)")
            let renamed = try await api.call(.patch, "/api/v1/areas/xa-cam-thanh", as: "op-cam-xuyen", json: #"{"name":"Xã Cẩm Thành mới"}"#)
            #expect(renamed.object["name"] as? String == "Xã Cẩm Thành mới")
            let playing = try await api.call(.get, "/api/v1/gateways/xa-tan-lap-02", as: "tech-tan-lap")
            let playingHealth = (playing.object["gateway"] as? [String: Any])?["health"] as? [String: Any]
            #expect(playingHealth?["nowPlayingTitle"] as? String == bulletin.title, "\(playing.text)")
            let listed = try await api.call(.get, "/api/v1/gateways", as: "tech-tan-lap").items.first { $0["id"] as? String == "xa-tan-lap-02" }
            #expect((listed?["health"] as? [String: Any])?["nowPlayingTitle"] as? String == bulletin.title)
            let detail = try await api.call(.get, "/api/v1/gateways/xa-tan-lap-01?history=5", as: "tech-tan-lap")
            let health = (detail.object["gateway"] as? [String: Any])?["health"] as? [String: Any]
            #expect(health?["volumePercent"] as? Int == 70 && health?["healthAt"] is String, "\(detail.text)")
            #expect((detail.object["healthHistory"] as? [Any])?.count == 1)
            // Users: an operator creates a technician and changes their password; the new user logs in.
            #expect(try await api.call(.post, "/api/v1/users", as: "op-cam-xuyen", json: """
                {"username":"tech-cam-binh","password":"first password","role":"technician","areaId":"xa-cam-binh"}
                """).status == 201)
            let patched = try await api.call(.patch, "/api/v1/users/tech-cam-binh", as: "op-cam-xuyen",
                                             json: #"{"password":"second password","role":"broadcaster"}"#)
            #expect(patched.object["role"] as? String == "broadcaster", "\(patched.text)")
            #expect(try await api.call(.post, "/api/v1/login", as: nil,
                                       json: #"{"username":"tech-cam-binh","password":"second password"}"#).status == 200)
            let short = try await api.call(.post, "/api/v1/users", json: #"{"username":"u9","password":"short","role":"technician","areaId":null}"#)
            #expect(short.status == 422 && short.errorMessage?.contains("8 characters") == true, "\(short.text)")
            // Play log: newest first, scoped, paginated, CSV.
            let log = try await api.call(.get, "/api/v1/play-log?limit=2", as: "bt-tan-lap")
            #expect(log.items.map { $0["eventId"] as? String } == ["ev-2", "ev-1"], "\(log.text)")
            #expect(log.items.first?["kind"] as? String == "failed")
            let next = try #require(log.object["next"] as? String)
            let rest = try await api.call(.get, "/api/v1/play-log?limit=2&cursor=\(next)", as: "bt-tan-lap")
            #expect(rest.items.map { $0["eventId"] as? String } == ["ev-0"] && rest.object["next"] is NSNull, "\(next) \(rest.text)")
            let csv = try await api.call(.get, "/api/v1/play-log?format=csv&gateway=xa-tan-lap-01", as: "tech-tan-lap")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.first == "at,gateway,item,bulletin,kind,position_ms,event_id,detail,origin,title,gateway_name,area")
            // The ids, then what a person reads: title, the gateway's name, its area.
            #expect(lines.count == 4 && lines[1].hasPrefix("2026-12-01T06:30:02.000Z")
                    && lines[1].hasSuffix(",failed,2000,ev-2,,gateway,\(bulletin.title),xa-tan-lap-01,xa-tan-lap"), "\(csv.text)")
            // Outcomes: one row per (gateway, item), the last event deciding, in the caller's scope.
            let outcomes = try await api.call(.get, "/api/v1/play-log/outcomes", as: "bt-tan-lap")
            #expect(outcomes.items.count == 1, "\(outcomes.text)")
            let row = try #require(outcomes.items.first)
            #expect(row["gatewayId"] as? String == "xa-tan-lap-01" && row["itemId"] as? String == "rule-1@1796106600#0"
                && row["outcome"] as? String == "failed" && row["events"] as? Int == 3 && row["positionMs"] as? Int == 2000
                && row["firstAt"] as? String == "2026-12-01T06:30:00.000Z" && row["origin"] as? String == "gateway"
                && row["detail"] is NSNull, "\(outcomes.text)")
            let everything = try await api.call(.get, "/api/v1/play-log/outcomes?format=csv")
            let outcomeLines = everything.text.split(separator: "\r\n")
            #expect(outcomeLines.first == "first_at,last_at,gateway,item,bulletin,outcome,position_ms,events,detail,origin,title,gateway_name,area")
            #expect(outcomeLines.count == 3 && outcomeLines[1].contains(",xa-dien-hoa-01,x,,missed,0,1,,gateway,,xa-dien-hoa-01,xa-dien-hoa"), "\(everything.text)")
            #expect(try await api.call(.get, "/api/v1/play-log/outcomes?cursor=nonsense").status == 422)
            #expect(try await api.call(.get, "/api/v1/play-log/outcomes?gateway=xa-dien-hoa-01", as: "bt-tan-lap").status == 403)
            let accept = try await api.call(.get, "/api/v1/play-log", headers: [.accept: "text/csv"])
            #expect(accept.text.split(separator: "\r\n").count == 5)
            // Audit: the admin sees everything in order, an operator what concerns their area.
            let audit = try await api.call(.get, "/api/v1/audit?limit=1000")
            let actions = audit.items.compactMap { $0["action"] as? String }
            #expect(actions.contains("gateway.rotate-secret") && actions.contains("user.login"))
            let sequences = audit.items.compactMap { $0["sequence"] as? Int }
            #expect(sequences == sequences.sorted())
            let scoped = try await api.call(.get, "/api/v1/audit?limit=1000", as: "op-nghe-an")
            #expect(!scoped.items.contains { $0["target"] as? String == "xa-cam-thanh-01" })
            // Public routes.
            let health200 = try await api.call(.get, "/healthz", as: nil)
            #expect(health200.status == 200 && health200.object["status"] as? String == "ok")
            let metrics = try await api.call(.get, "/metrics", as: nil)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(metrics.text.contains("# TYPE loa_gateways_online gauge\nloa_gateways_online 0\n"))
            #expect(metrics.text.contains(#"loa_http_requests_total{method="GET",route="/api/v1/play-log",status="200"}"#), "\(metrics.text)")
            #expect(metrics.text.contains("# TYPE loa_ingest_duration_seconds histogram"))
            let console = try await api.call(.get, "/", as: nil)
            #expect(console.status == 200 && console.headers[.contentType]?.hasPrefix("text/html") == true)
            let missing = try await api.call(.get, "/console/nope.js", as: nil)
            #expect(missing.status == 404 && missing.errorCode == "not_found")
        }
    }

    @Test func metricsCanRequireAnAdminToken() async throws {
        let h = try await APIHarness.start(settings: APISettings(metricsPublic: false))
        try await h.run { api async throws in
            #expect(try await api.call(.get, "/metrics", as: nil).status == 401)
            #expect(try await api.call(.get, "/metrics", as: "op-cam-xuyen").status == 403)
            #expect(try await api.call(.get, "/metrics", as: "admin").status == 200)
        }
    }
}
