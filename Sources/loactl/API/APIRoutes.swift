import Foundation
import LoaSchedule

/// The requests each command sends, built from its arguments (contract: /work/contract.md).
enum APIRoutes {
    static let prefix = "/api/v1"

    static func login(user: String, password: String) -> APIRequest {
        var request = APIRequest("POST", prefix + "/login", json: ["username": .string(user), "password": .string(password)])
        request.authenticated = false
        return request
    }

    static let logout = APIRequest("POST", prefix + "/logout")
    static let me = APIRequest("GET", prefix + "/me")

    // Users
    static let users = APIRequest("GET", prefix + "/users")
    static func addUser(username: String, password: String, role: String, area: String?) -> APIRequest {
        APIRequest("POST", prefix + "/users", json: ["username": .string(username), "password": .string(password), "role": .string(role),
                                                     "areaId": area.map(JSONValue.string) ?? .null])
    }
    static func updateUser(_ username: String, fields: JSONValue) -> APIRequest {
        APIRequest("PATCH", prefix + "/users/" + pathSegment(username), json: fields)
    }

    // Areas
    static let areas = APIRequest("GET", prefix + "/areas")
    static func addArea(id: String, name: String?, kind: String, parent: String?) -> APIRequest {
        APIRequest("POST", prefix + "/areas", json: ["id": .string(id), "name": .string(name ?? id), "kind": .string(kind),
                                                     "parentId": parent.map(JSONValue.string) ?? .null])
    }

    // Gateways
    static func gateways(area: String?) -> APIRequest { APIRequest("GET", prefix + "/gateways", query: [("area", area)]) }
    static func gateway(_ id: String, history: Int?) -> APIRequest {
        APIRequest("GET", prefix + "/gateways/" + pathSegment(id), query: [("history", history.map(String.init))])
    }
    static func addGateway(id: String, name: String?, area: String, latitude: Double?, longitude: Double?) throws -> APIRequest {
        var body: [String: JSONValue] = ["id": .string(id), "name": .string(name ?? id), "areaId": .string(area)]
        switch (latitude, longitude) {
        case (let lat?, let lon?):
            guard (-90...90).contains(lat), (-180...180).contains(lon) else {
                throw APIFailure.usage("--latitude must be -90…90 and --longitude -180…180")
            }
            body["location"] = ["latitude": .number(lat), "longitude": .number(lon)]
        case (nil, nil): break
        default: throw APIFailure.usage("give both --latitude and --longitude, or neither")
        }
        return APIRequest("POST", prefix + "/gateways", json: .object(body))
    }
    static func moveGateway(_ id: String, area: String) -> APIRequest {
        APIRequest("PATCH", prefix + "/gateways/" + pathSegment(id), json: ["areaId": .string(area)])
    }
    static func rotateSecret(_ id: String) -> APIRequest { APIRequest("POST", prefix + "/gateways/" + pathSegment(id) + "/secret") }
    static func command(_ id: String, _ body: JSONValue) -> APIRequest {
        APIRequest("POST", prefix + "/gateways/" + pathSegment(id) + "/commands", json: body)
    }
    static func volume(_ id: String, percent: Int) throws -> APIRequest {
        guard (0...100).contains(percent) else { throw APIFailure.usage("volume is a percentage 0–100, not \(percent)") }
        return command(id, ["action": "volume", "percent": .number(Double(percent))])
    }
    static func testTone(_ id: String, seconds: Int, frequencyHz: Int) throws -> APIRequest {
        guard (1...60).contains(seconds) else { throw APIFailure.usage("--seconds must be 1–60, not \(seconds)") }
        guard (20...20000).contains(frequencyHz) else { throw APIFailure.usage("--frequency must be 20–20000 Hz, not \(frequencyHz)") }
        return command(id, ["action": "test-tone", "seconds": .number(Double(seconds)), "frequencyHz": .number(Double(frequencyHz))])
    }
    static func restart(_ id: String) -> APIRequest { command(id, ["action": "restart"]) }
    static func logs(_ id: String, lines: Int) throws -> APIRequest {
        guard (1...10_000).contains(lines) else { throw APIFailure.usage("--lines must be 1–10000, not \(lines)") }
        return command(id, ["action": "logs", "lines": .number(Double(lines))])
    }

    // Bulletins
    static func bulletins(state: String?) -> APIRequest { APIRequest("GET", prefix + "/bulletins", query: [("state", state)]) }
    static func upload(_ bytes: Data, fileName: String, title: String?) -> APIRequest {
        let name = (fileName as NSString).lastPathComponent
        let title = title ?? ((name as NSString).deletingPathExtension)
        var request = APIRequest("POST", prefix + "/bulletins", query: [("title", title)])
        request.body = bytes
        request.contentType = mediaType(bytes: bytes, fileName: name)
        return request
    }
    /// WAV or MP3 by the first bytes (the server checks again), else by the name.
    static func mediaType(bytes: Data, fileName: String) -> String {
        let head = [UInt8](bytes.prefix(12))
        if head.count >= 12, head[0..<4] == [0x52, 0x49, 0x46, 0x46], head[8..<12] == [0x57, 0x41, 0x56, 0x45] { return "audio/wav" }
        if head.starts(with: [0x49, 0x44, 0x33]) || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) { return "audio/mpeg" }
        switch (fileName as NSString).pathExtension.lowercased() {
        case "wav": return "audio/wav"
        case "mp3": return "audio/mpeg"
        default: return "application/octet-stream"
        }
    }
    static func bulletin(_ sha: String) -> APIRequest { APIRequest("GET", prefix + "/bulletins/" + pathSegment(sha)) }
    static func approve(_ sha: String) -> APIRequest { APIRequest("POST", prefix + "/bulletins/" + pathSegment(sha) + "/approve") }
    static func archive(_ sha: String) -> APIRequest { APIRequest("POST", prefix + "/bulletins/" + pathSegment(sha) + "/archive") }
    static func audio(_ sha: String) -> APIRequest {
        var request = APIRequest("GET", prefix + "/bulletins/" + pathSegment(sha) + "/audio")
        request.accept = "audio/mpeg"
        return request
    }

    // Schedules
    static func schedules(area: String?, gateway: String?) -> APIRequest {
        APIRequest("GET", prefix + "/schedules", query: [("area", area), ("gateway", gateway)])
    }
    static func addSchedule(_ input: JSONValue) -> APIRequest { APIRequest("POST", prefix + "/schedules", json: input) }
    static let relaySchedules = APIRequest("GET", prefix + "/relay-schedules")
    static func addRelaySchedule(_ input: JSONValue) -> APIRequest { APIRequest("POST", prefix + "/relay-schedules", json: input) }
    static func removeRelaySchedule(_ id: String) -> APIRequest { APIRequest("DELETE", prefix + "/relay-schedules/" + pathSegment(id)) }
    static func programs(area: String?) -> APIRequest {
        APIRequest("GET", prefix + "/programs", query: [("area", area)])
    }
    static func program(_ id: String) -> APIRequest { APIRequest("GET", prefix + "/programs/" + pathSegment(id)) }
    static func addProgram(_ input: JSONValue) -> APIRequest { APIRequest("POST", prefix + "/programs", json: input) }
    static func replaceProgram(_ id: String, _ input: JSONValue) -> APIRequest { APIRequest("PUT", prefix + "/programs/" + pathSegment(id), json: input) }
    static func removeProgram(_ id: String) -> APIRequest { APIRequest("DELETE", prefix + "/programs/" + pathSegment(id)) }
    static let dispatches = APIRequest("GET", prefix + "/dispatches")
    static func dispatch(_ id: String) -> APIRequest { APIRequest("GET", prefix + "/dispatches/" + pathSegment(id)) }
    static func sendDispatch(_ input: JSONValue) -> APIRequest { APIRequest("POST", prefix + "/dispatches", json: input) }
    static func inbox(area: String?) -> APIRequest { APIRequest("GET", prefix + "/inbox", query: [("area", area)]) }
    static func inboxItem(_ id: String) -> APIRequest { APIRequest("GET", prefix + "/inbox/" + pathSegment(id)) }
    static func placeInboxItem(_ id: String, _ input: JSONValue) -> APIRequest {
        APIRequest("POST", prefix + "/inbox/" + pathSegment(id) + "/place", json: input)
    }
    static func declineInboxItem(_ id: String, _ input: JSONValue) -> APIRequest {
        APIRequest("POST", prefix + "/inbox/" + pathSegment(id) + "/decline", json: input)
    }
    static func removeSchedule(_ id: String) -> APIRequest { APIRequest("DELETE", prefix + "/schedules/" + pathSegment(id)) }
    static func preview(from: Date, to: Date, area: String?, gateway: String?) throws -> APIRequest {
        guard to > from else { throw APIFailure.usage("--to must be after --from") }
        guard to.timeIntervalSince(from) <= 31 * 86400 else { throw APIFailure.usage("a preview covers at most 31 days") }
        return APIRequest("GET", prefix + "/schedules/preview", query: [("from", TimeArgument.format(from)), ("to", TimeArgument.format(to)),
                                                                       ("area", area), ("gateway", gateway)])
    }

    // Announcements
    static func announce(bulletin: String, areas: [String], gateways: [String], priority: Int, startAt: Date?,
                         expiresInSeconds: Int?) throws -> APIRequest {
        guard !areas.isEmpty || !gateways.isEmpty else { throw APIFailure.usage("name at least one --area or --gateway to announce to") }
        guard (0...255).contains(priority) else { throw APIFailure.usage("--priority must be 0–255, not \(priority)") }
        var body: [String: JSONValue] = ["bulletin": .string(bulletin), "areas": .array(areas.map(JSONValue.string)),
                                         "gateways": .array(gateways.map(JSONValue.string)), "priority": .number(Double(priority))]
        if let startAt { body["startAt"] = .string(TimeArgument.format(startAt)) }
        if let expiresInSeconds {
            guard expiresInSeconds > 0 else { throw APIFailure.usage("--expires must be a positive number of seconds") }
            body["expiresInSeconds"] = .number(Double(expiresInSeconds))
        }
        return APIRequest("POST", prefix + "/announcements", json: .object(body))
    }
    static func announcements(activeOnly: Bool) -> APIRequest {
        APIRequest("GET", prefix + "/announcements", query: [("active", activeOnly ? "true" : nil)])
    }
    static func stop(_ id: String) -> APIRequest { APIRequest("POST", prefix + "/announcements/" + pathSegment(id) + "/stop") }

    // Live
    static func startLive(area: String, title: String, priority: Int?, relay: String? = nil, device: String? = nil) throws -> APIRequest {
        if relay != nil && device != nil { throw APIFailure.usage("give --relay or --device, not both") }
        if let priority, !Priority.Band.liveLevels.contains(priority) {
            throw APIFailure.usage("--priority must be \(Priority.Band.liveRule) for a live stream")
        }
        var body: [String: JSONValue] = ["areaId": .string(area), "title": .string(title)]
        if let priority { body["priority"] = .number(Double(priority)) }
        if let relay { body["relayUrl"] = .string(relay) }
        if let device { body["captureDevice"] = .string(device) }
        return APIRequest("POST", prefix + "/live", json: .object(body))
    }
    static let liveStreams = APIRequest("GET", prefix + "/live")
    static func stopLive(_ id: Int64) -> APIRequest { APIRequest("DELETE", prefix + "/live/\(id)") }

    // Logs
    /// The as-played events, or with `outcomes` one row per (gateway, item).
    static func playLog(area: String?, gateway: String?, bulletin: String?, since: Date?, until: Date?, csv: Bool,
                        outcomes: Bool = false) -> APIRequest {
        var request = APIRequest("GET", prefix + (outcomes ? "/play-log/outcomes" : "/play-log"), query: [
            ("area", area), ("gateway", gateway), ("bulletin", bulletin), ("since", since.map(TimeArgument.format)),
            ("until", until.map(TimeArgument.format)), ("format", csv ? "csv" : nil),
        ])
        if csv { request.accept = "text/csv" }
        return request
    }
    /// The period report of an area: JSON, or CSV a row a commune (or a gateway).
    static func periodReport(area: String?, month: String?, from: String?, to: String?, csv: Bool, gatewayRows: Bool) -> APIRequest {
        var request = APIRequest("GET", prefix + "/reports/period", query: [
            ("area", area), ("month", month), ("from", from), ("to", to), ("format", csv ? "csv" : nil), ("rows", gatewayRows ? "gateways" : nil),
        ])
        if csv { request.accept = "text/csv" }
        return request
    }
    static func audit(after: Int?) -> APIRequest { APIRequest("GET", prefix + "/audit", query: [("after", after.map(String.init))]) }
}
