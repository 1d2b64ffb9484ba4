import Foundation
import Hummingbird
import Testing
@testable import LoaController

/// Each kind of bad input gets its status, its code and a message, and changes nothing.
@Suite(.serialized) struct APIBadInputTests {
    @Test func malformedJSONAndMissingFields() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            for path in ["/api/v1/users", "/api/v1/areas", "/api/v1/gateways", "/api/v1/schedules", "/api/v1/announcements"] {
                let broken = try await api.call(.post, path, json: #"{"id": "x", "name": }"#)
                #expect(broken.status == 400 && broken.errorCode == "invalid_json", "\(path): \(broken.text)")
                let empty = try await api.call(.post, path, json: "")
                #expect(empty.status == 400 && empty.errorCode == "invalid_json", "\(path): \(empty.text)")
                let missing = try await api.call(.post, path, json: "{}")
                #expect(missing.status == 422 && missing.errorCode == "validation_failed", "\(path): \(missing.text)")
                #expect(missing.errorMessage?.contains("missing field") == true, "\(missing.text)")
            }
            let login = try await api.call(.post, "/api/v1/login", as: nil, json: "not json")
            #expect(login.status == 400 && login.errorCode == "invalid_json")
            let wrongType = try await api.call(.post, "/api/v1/gateways/xa-tan-lap-01/commands", json: #"{"action":"volume","percent":"loud"}"#)
            #expect(wrongType.status == 422 && wrongType.errorMessage?.contains("'percent'") == true, "\(wrongType.text)")
            let badVolume = try await api.call(.post, "/api/v1/gateways/xa-tan-lap-01/commands", json: #"{"action":"volume","percent":180}"#)
            #expect(badVolume.status == 422, "\(badVolume.text)")
            let badAction = try await api.call(.post, "/api/v1/gateways/xa-tan-lap-01/commands", json: #"{"action":"explode"}"#)
            #expect(badAction.status == 422 && badAction.errorMessage?.contains("volume, test-tone, restart or logs") == true)
        }
    }

    @Test func unknownIDsAre404() async throws {
        let h = try await APIHarness.start()
        let missing = String(repeating: "0", count: 64)
        try await h.run { api in
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/v1/users/nobody"), (.patch, "/api/v1/users/nobody"), (.get, "/api/v1/areas/nowhere"),
                (.get, "/api/v1/gateways/gw-nope"), (.patch, "/api/v1/gateways/gw-nope"), (.post, "/api/v1/gateways/gw-nope/secret"),
                (.post, "/api/v1/gateways/gw-nope/commands"), (.get, "/api/v1/bulletins/\(missing)"),
                (.get, "/api/v1/bulletins/\(missing)/audio"), (.post, "/api/v1/bulletins/\(missing)/approve"),
                (.get, "/api/v1/bulletins/not-a-hash"), (.get, "/api/v1/schedules/999"), (.delete, "/api/v1/schedules/999"),
                (.get, "/api/v1/schedules/abc"), (.post, "/api/v1/announcements/999/stop"), (.get, "/api/v1/nothing-here"),
                (.get, "/api/v1/gateways?area=nowhere"),
            ] {
                let json: String? = method == .patch ? #"{"name":"x"}"# : (path.hasSuffix("commands") ? #"{"action":"restart"}"# : nil)
                let answer = try await api.call(method, path, json: json)
                #expect(answer.status == 404 && answer.errorCode == "not_found", "\(method) \(path): \(answer.status) \(answer.text)")
            }
            let schedule = try await api.call(.post, "/api/v1/schedules", json: """
                {"bulletin":"\(missing)","areas":["xa-tan-lap"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}
                """)
            #expect(schedule.status == 404, "\(schedule.text)")
            let target = try await api.call(.post, "/api/v1/announcements", json: #"{"bulletin":"\#(missing)","areas":["nowhere"]}"#)
            #expect(target.status == 404, "\(target.text)")
        }
    }

    @Test func schedulesThatCannotBe() async throws {
        let h = try await APIHarness.start()
        let bulletin = try await h.bulletin()
        try await h.run { api in
            func post(_ fields: String) async throws -> APIClient.Answer {
                try await api.call(.post, "/api/v1/schedules", json: #"{"bulletin":"\#(bulletin.sha256)","areas":["xa-tan-lap"],\#(fields)}"#)
            }
            let backwards = try await post(#""recurrence":"daily","at":"06:30","from":"2026-12-10","until":"2026-12-01""#)
            #expect(backwards.status == 422 && backwards.errorMessage?.contains("before 'from'") == true, "\(backwards.text)")
            let time = try await post(#""recurrence":"daily","at":"25:00","from":"2026-12-01""#)
            #expect(time.status == 422 && time.errorMessage?.contains("25:00") == true, "\(time.text)")
            let date = try await post(#""recurrence":"once","at":"06:30","from":"2026-02-30""#)
            #expect(date.status == 422 && date.errorMessage?.contains("2026-02-30") == true, "\(date.text)")
            let weekday = try await post(#""recurrence":"weekly","days":[0,8],"at":"06:30","from":"2026-12-01""#)
            #expect(weekday.status == 422, "\(weekday.text)")
            // A one-off yesterday, or a daily run that ended, would never play: refused in words (it used to be saved).
            let yesterday = try await post(#""recurrence":"once","at":"06:30","from":"\#(Self.localDay(h.clock.now.addingTimeInterval(-86_400)))""#)
            #expect(yesterday.status == 422 && yesterday.errorMessage?.contains("would never play") == true, "\(yesterday.text)")
            let ended = try await post(#""recurrence":"daily","at":"06:30","from":"2020-01-01","until":"2020-12-31""#)
            #expect(ended.status == 422 && ended.errorMessage?.contains("would never play") == true, "\(ended.text)")
            // An announcement that would have expired before now is refused rather than "sent" and dropped.
            let stale = try await api.call(.post, "/api/v1/announcements",
                                           json: #"{"bulletin":"\#(bulletin.sha256)","areas":["xa-tan-lap"],"startAt":"2020-01-01T06:00:00Z"}"#)
            #expect(stale.status == 422 && stale.errorMessage?.contains("expired") == true, "\(stale.text)")
            let preview = try await api.call(.get, "/api/v1/schedules/preview?from=2026-12-01T00:00:00Z&to=2027-02-01T00:00:00Z")
            #expect(preview.status == 422 && preview.errorMessage?.contains("31 days") == true, "\(preview.text)")
            let badTime = try await api.call(.get, "/api/v1/play-log?since=yesterday")
            #expect(badTime.status == 422, "\(badTime.text)")
            let badLimit = try await api.call(.get, "/api/v1/gateways?limit=5000")
            #expect(badLimit.status == 422, "\(badLimit.text)")
        }
        #expect(try await h.database.allScheduleEntries().isEmpty)
    }

    @Test func broadcasterSchedulingADraftIsRefusedUntilApproved() async throws {
        let h = try await APIHarness.start()
        let draft = try await h.bulletin(approve: false)
        try await h.run { api in
            let body = """
                {"bulletin":"\(draft.sha256)","areas":["xa-tan-lap"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}
                """
            let refused = try await api.call(.post, "/api/v1/schedules", as: "bt-tan-lap", json: body)
            #expect(refused.status == 409 && refused.errorCode == "not_approved", "\(refused.text)")
            // An operator may schedule the draft, and is told the gateways wait for its approval.
            let warned = try await api.call(.post, "/api/v1/schedules", as: "op-cam-xuyen", json: body)
            #expect(warned.status == 201 && (warned.object["warnings"] as? [String])?.first?.contains("draft") == true, "\(warned.text)")
            #expect(try await api.call(.post, "/api/v1/bulletins/\(draft.sha256)/approve", as: "op-cam-xuyen").status == 200)
            let accepted = try await api.call(.post, "/api/v1/schedules", as: "bt-tan-lap", json: body)
            #expect(accepted.status == 201, "\(accepted.text)")
            // Approving twice is a wrong transition.
            let again = try await api.call(.post, "/api/v1/bulletins/\(draft.sha256)/approve", as: "op-cam-xuyen")
            #expect(again.status == 409 && again.errorCode == "conflict", "\(again.text)")
            // A duplicate id is a conflict.
            let duplicate = try await api.call(.post, "/api/v1/gateways", json: #"{"id":"xa-tan-lap-01","name":"again","areaId":"xa-tan-lap"}"#)
            #expect(duplicate.status == 409, "\(duplicate.text)")
        }
    }

    @Test func uploadsThatAreNotAudioOrTooLarge() async throws {
        let h = try await APIHarness.start(settings: APISettings(maxUploadBytes: 1 << 20))
        try await h.run { api in
            let noise = try await api.call(.post, "/api/v1/bulletins?title=noise", as: "bt-tan-lap", body: TestAudio.randomBytes(4_096),
                                           headers: [.contentType: "application/octet-stream"])
            #expect(noise.status == 415 && noise.errorCode == "unsupported_media", "\(noise.text)")
            let text = try await api.call(.post, "/api/v1/bulletins", as: "bt-tan-lap", body: Array("hello".utf8),
                                          headers: [.contentType: "text/plain"])
            #expect(text.status == 415 && text.errorMessage?.contains("text/plain") == true, "\(text.text)")
            let big = try await api.call(.post, "/api/v1/bulletins", as: "bt-tan-lap", body: TestAudio.wav(seconds: 12),
                                         headers: [.contentType: "audio/wav"])
            #expect(big.status == 413 && big.errorCode == "payload_too_large", "\(big.text)")
            let silent = try await api.call(.post, "/api/v1/bulletins", as: "bt-tan-lap", body: TestAudio.wav(seconds: 1, amplitude: 0),
                                            headers: [.contentType: "audio/wav"])
            #expect(silent.status == 422 && silent.errorMessage?.contains("silent") == true, "\(silent.text)")
            let empty = try await api.call(.post, "/api/v1/bulletins", as: "bt-tan-lap", body: [], headers: [.contentType: "audio/wav"])
            #expect(empty.status == 400, "\(empty.text)")
        }
        #expect(try await h.database.bulletins(in: nil).isEmpty)
    }

    /// `YYYY-MM-DD` of `date` in Hà Nội.
    static func localDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
