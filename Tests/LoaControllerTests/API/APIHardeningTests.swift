import Foundation
import Hummingbird
import Logging
import Testing
@testable import LoaController

/// Issue 13's findings on the HTTP side, each reproduced as it was found: who may use a
/// bulletin, the last admin, ids that could forge log lines, and where the API drifted from
/// docs/openapi.yaml.
@Suite(.serialized) struct APIHardeningTests {
    static let schedule = #"{"bulletin":"SHA","areas":["xa-tan-lap"],"recurrence":"daily","at":"06:30","from":"2026-12-01"}"#

    @Test func aBroadcasterCannotScheduleOrAnnounceAnotherCommunesBulletin() async throws {
        let h = try await APIHarness.start()
        _ = try await h.database.createUser(username: "bt-cam-binh", password: APIHarness.password, role: .broadcaster,
                                            areaID: "xa-cam-binh", origin: .controller)
        let theirs = try await h.bulletin(frequency: 550, by: "bt-cam-binh")
        let ours = try await h.bulletin(frequency: 660, by: "bt-tan-lap")
        try await h.run { api in
            let read = try await api.call(.get, "/api/v1/bulletins/\(theirs.sha256)", as: "bt-tan-lap")
            #expect(read.status == 403)
            let scheduled = try await api.call(.post, "/api/v1/schedules", as: "bt-tan-lap",
                                               json: Self.schedule.replacingOccurrences(of: "SHA", with: theirs.sha256))
            #expect(scheduled.status == 403 && scheduled.errorMessage?.contains("xa-cam-binh") == true, "\(scheduled.text)")
            let own = try await api.call(.post, "/api/v1/schedules", as: "bt-tan-lap",
                                         json: Self.schedule.replacingOccurrences(of: "SHA", with: ours.sha256))
            #expect(own.status == 201, "\(own.text)")
            // An operator of the district above both communes may use either.
            let announced = try await api.call(.post, "/api/v1/announcements", as: "op-cam-xuyen",
                                               json: #"{"bulletin":"\#(theirs.sha256)","areas":["xa-tan-lap"]}"#)
            #expect(announced.status == 201, "\(announced.text)")
            let otherProvince = try await api.call(.post, "/api/v1/announcements", as: "op-nghe-an",
                                                   json: #"{"bulletin":"\#(theirs.sha256)","areas":["nghe-an"]}"#)
            #expect(otherProvince.status == 403, "\(otherProvince.text)")
            let preview = try await api.call(.get, "/api/v1/schedules/preview?from=2026-12-01T00:00:00Z&to=2026-12-03T00:00:00Z",
                                             as: "bt-tan-lap")
            #expect(!preview.text.contains(theirs.sha256), "B's bulletin must not reach A's schedule")
        }
    }

    @Test func aBroadcasterNeedsAnArea() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let created = try await api.call(.post, "/api/v1/users",
                                             json: #"{"username":"bt-moi","password":"mật khẩu dài","role":"broadcaster","areaId":null}"#)
            #expect(created.status == 422 && created.errorMessage?.contains("needs an area") == true, "\(created.text)")
            let absent = try await api.call(.post, "/api/v1/users", json: #"{"username":"bt-moi","password":"mật khẩu dài","role":"broadcaster"}"#)
            #expect(absent.status == 422, "\(absent.text)")
            let moved = try await api.call(.patch, "/api/v1/users/bt-tan-lap", json: #"{"areaId":null}"#)
            #expect(moved.status == 422, "\(moved.text)")
            let promoted = try await api.call(.patch, "/api/v1/users/tech-tan-lap", json: #"{"role":"broadcaster"}"#)
            #expect(promoted.status == 200, "a technician with an area may become a broadcaster: \(promoted.text)")
        }
    }

    @Test func theLastSystemWideAdminStaysOne() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let demoted = try await api.call(.patch, "/api/v1/users/admin", json: #"{"role":"broadcaster","areaId":"xa-tan-lap"}"#)
            #expect(demoted.status == 409 && demoted.errorMessage?.contains("last system-wide admin") == true, "\(demoted.text)")
            let narrowed = try await api.call(.patch, "/api/v1/users/admin", json: #"{"areaId":"ha-tinh"}"#)
            #expect(narrowed.status == 409, "an admin confined to an area is no longer system-wide: \(narrowed.text)")
            let second = try await api.call(.post, "/api/v1/users", json: #"{"username":"admin2","password":"mật khẩu dài","role":"admin"}"#)
            #expect(second.status == 201, "\(second.text)")
            let now = try await api.call(.patch, "/api/v1/users/admin", json: #"{"role":"operator"}"#)
            #expect(now.status == 200, "with a second admin the first may step down: \(now.text)")
            let last = try await api.call(.patch, "/api/v1/users/admin2", as: "admin", json: #"{"role":"operator"}"#)
            #expect(last.status == 403 || last.status == 409, "\(last.text)")
        }
        let admins = try await h.database.users().filter { $0.role == .admin && $0.areaID == nil }
        #expect(admins.map(\.username) == ["admin2"])
    }

    @Test(arguments: ["e\n2026-12-02T10:00:00+0000 critical FORGED", "tab\there", "CapitalS", "-dash", "dấu", String(repeating: "a", count: 65), ""])
    func idsThatCouldForgeALogLineAreRefused(_ id: String) async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let body = try JSONSerialization.data(withJSONObject: ["id": id, "name": "Xã", "kind": "commune", "parentId": "cam-xuyen"])
            let area = try await api.call(.post, "/api/v1/areas", json: String(decoding: body, as: UTF8.self))
            #expect(area.status == 422 && area.errorCode == "validation_failed", "\(area.text)")
            #expect(!area.text.contains("\n"), "the message quotes the id escaped")
            let user = try JSONSerialization.data(withJSONObject: ["username": id, "password": "mật khẩu dài", "role": "operator"])
            let created = try await api.call(.post, "/api/v1/users", json: String(decoding: user, as: UTF8.self))
            #expect(created.status == 422 || (id == "CapitalS" && created.status == 201), "\(id): \(created.text)")
        }
        #expect(try await h.database.allAreas().allSatisfy { !$0.id.contains("\n") })
    }

    @Test func namesAndTitlesHoldVietnameseButNoLineBreaks() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let good = try await api.call(.post, "/api/v1/areas", json: #"{"id":"xa-cam-thanh","name":"Xã Cẩm Thành","kind":"commune","parentId":"cam-xuyen"}"#)
            #expect(good.status == 201, "\(good.text)")
            let bad = try await api.call(.patch, "/api/v1/areas/xa-cam-thanh", json: #"{"name":"Xã\ncritical"}"#)
            #expect(bad.status == 422, "\(bad.text)")
            let gateway = try await api.call(.patch, "/api/v1/gateways/xa-tan-lap-01", json: #"{"name":"a\u0000b"}"#)
            #expect(gateway.status == 422, "\(gateway.text)")
            let upload = try await api.call(.post, "/api/v1/bulletins?title=a%0Ab", as: "bt-tan-lap", body: TestAudio.wav(seconds: 1))
            #expect(upload.status == 422, "\(upload.text)")
        }
    }

    @Test func logLinesStayOneLineWhateverTheyQuote() throws {
        let recorder = RecordingLogHandler()
        var logger = Logger(label: "test") { _ in LineSafeLogHandler(base: recorder) }
        logger[metadataKey: "gateway.id"] = "x\ncritical FORGED"
        logger.warning("login refused for 'a\r\nb'", metadata: ["user": .array([.string("c\u{85}d")])])
        let line = try #require(recorder.lines.first)
        #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{85}"), "\(line)")
        #expect(line.contains("x\\u{a}critical FORGED") && line.contains("a\\u{d}\\u{a}b"), "\(line)")
    }

    @Test func specDrift() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let wrongMethod = try await api.call(.delete, "/api/v1/areas")
            #expect(wrongMethod.status == 405 && wrongMethod.errorCode == "method_not_allowed", "\(wrongMethod.text)")
            #expect(wrongMethod.headers[.allow] == "GET, POST")
            let wrongOnItem = try await api.call(.put, "/api/v1/users/admin", json: "{}")
            #expect(wrongOnItem.status == 405 && wrongOnItem.headers[.allow] == "GET, PATCH", "\(wrongOnItem.text)")
            #expect(try await api.call(.get, "/api/v1/nothing-here").status == 404)
            let literal = try await api.call(.options, "/api/v1/schedules/preview")
            #expect(literal.status == 405 && literal.headers[.allow] == "GET", "the literal route wins over schedules/{id}: \(literal.headers)")
            for (path, body) in [("/api/v1/areas/xa-tan-lap", #"{"name":null}"#), ("/api/v1/users/bt-tan-lap", #"{"role":null}"#),
                                 ("/api/v1/users/bt-tan-lap", #"{"password":null}"#), ("/api/v1/gateways/xa-tan-lap-01", #"{"areaId":null}"#)] {
                let answer = try await api.call(.patch, path, json: body)
                #expect(answer.status == 422 && answer.errorMessage?.contains("must not be null") == true, "\(path) \(body): \(answer.text)")
            }
            let onInterrupt = try await api.call(.post, "/api/v1/schedules", json: Self.schedule.replacingOccurrences(of: "}", with: #","onInterrupt":null}"#))
            #expect(onInterrupt.status == 422, "\(onInterrupt.text)")
            let noArea = try await api.call(.patch, "/api/v1/users/op-cam-xuyen", json: #"{"areaId":null}"#)
            #expect(noArea.status == 200, "areaId is nullable by contract: \(noArea.text)")
            let emptyLimit = try await api.call(.get, "/api/v1/areas?limit=")
            let emptyBulletins = try await api.call(.get, "/api/v1/bulletins?limit=")
            #expect(emptyBulletins.status == 422 && emptyBulletins.errorMessage?.contains("'limit' is empty") == true, "\(emptyBulletins.text)")
            #expect(emptyLimit.status == 422 || emptyLimit.status == 200)
            let lines = try await api.call(.post, "/api/v1/gateways/xa-tan-lap-01/commands", json: #"{"action":"volume","percent":50,"lines":10001}"#)
            #expect(lines.status == 422 && lines.errorMessage?.contains("'lines'") == true, "\(lines.text)")
        }
    }
}

/// Collects formatted lines the way StreamLogHandler would write them (message and metadata).
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    var lines: [String] { lock.withLock { recorded } }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let line = "\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lock.withLock { recorded.append(line) }
    }
}

/// Issue 12: a 500 echoed the internal error text (paths, store messages) to the client.
@Suite struct InternalErrorTests {
    @Test func a500AnswersARequestIDAndNoInternalText() async throws {
        let h = try await APIHarness.start()
        let bulletin = try await h.bulletin()
        try FileManager.default.removeItem(at: h.content.url(for: bulletin.sha256))
        try await h.run { api in
            let answer = try await api.call(.get, "/api/v1/bulletins/\(bulletin.sha256)/audio", as: "admin")
            #expect(answer.status == 500, "\(answer.text)")
            #expect(answer.errorCode == "internal")
            let error = try #require(answer.object["error"] as? [String: Any])
            let id = try #require(error["requestId"] as? String)
            #expect(id.count == 12 && id.allSatisfy(\.isHexDigit))
            #expect(answer.errorMessage?.contains(id) == true)
            for leak in ["content store", "restore", bulletin.sha256.prefix(8).description, "/"] {
                #expect(answer.errorMessage?.contains(leak) == false, "leaks '\(leak)': \(answer.text)")
            }
        }
    }
}
