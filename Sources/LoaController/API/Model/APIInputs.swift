import Foundation

// Request bodies. Optional fields of PATCH bodies are "leave as is" when absent.

/// A JSON request body, with the fields docs/openapi.yaml declares nullable (`null` for any
/// other field is refused by `APIJSON.decode`, not read as absent).
protocol APIBody: Decodable, Sendable {
    static var nullableFields: Set<String> { get }
}

extension APIBody {
    static var nullableFields: Set<String> { [] }
}

struct LoginInput: APIBody {
    var username: String
    var password: String
}

struct LoginOutput: Encodable, Sendable {
    var token: String
    var expiresAt: String
    var user: APIUser
}

struct UserInput: APIBody {
    static let nullableFields: Set<String> = ["areaId"]
    var username: String
    var password: String
    var role: String
    var areaId: String?
}

/// `areaId` present as null means "no area" (system-wide), absent means unchanged.
struct UserPatch: APIBody {
    static let nullableFields: Set<String> = ["areaId"]
    var role: String?
    var areaId: String??
    var password: String?

    enum CodingKeys: String, CodingKey { case role, areaId, password }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decodeIfPresent(String.self, forKey: .role)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        areaId = c.contains(.areaId) ? .some(try c.decodeIfPresent(String.self, forKey: .areaId)) : nil
    }
}

struct AreaInput: APIBody {
    static let nullableFields: Set<String> = ["parentId"]
    var id: String
    var name: String
    var kind: String
    var parentId: String?
}

struct AreaPatch: APIBody {
    static let nullableFields: Set<String> = ["parentId"]
    var name: String?
    var parentId: String??

    enum CodingKeys: String, CodingKey { case name, parentId }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        parentId = c.contains(.parentId) ? .some(try c.decodeIfPresent(String.self, forKey: .parentId)) : nil
    }
}

struct GatewayInput: APIBody {
    var id: String
    var name: String
    var areaId: String
    var location: APILocation?
}

struct GatewayPatch: APIBody {
    static let nullableFields: Set<String> = ["location"]
    var name: String?
    var areaId: String?
    /// Present as null removes the location.
    var location: APILocation??

    enum CodingKeys: String, CodingKey { case name, areaId, location }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        areaId = try c.decodeIfPresent(String.self, forKey: .areaId)
        location = c.contains(.location) ? .some(try c.decodeIfPresent(APILocation.self, forKey: .location)) : nil
    }
}

struct GatewayCreated: Encodable, Sendable {
    var gateway: APIGatewayStatus
    var secret: String
}

struct GatewayDetail: Encodable, Sendable {
    struct Sample: Encodable, Sendable {
        var at: String
        var report: JSONValue
    }
    var gateway: APIGatewayStatus
    var healthHistory: [Sample]
}

struct CommandInput: APIBody {
    var action: String
    var percent: Int?
    var seconds: Int?
    var frequencyHz: Int?
    var lines: Int?
}

struct CommandOutput: Encodable, Sendable {
    var commandId: String
    var ok: Bool?
    var message: String?
    var output: String?
}

struct ScheduleInput: APIBody {
    static let nullableFields: Set<String> = ["until"]
    var bulletin: String
    var areas: [String]?
    var gateways: [String]?
    var recurrence: String
    var days: [Int]?
    var at: String
    var from: String
    var until: String?
    var priority: Int?
    var `repeat`: Int?
    var onBusy: String?
    var onInterrupt: String?
}

struct AnnouncementInput: APIBody {
    var bulletin: String
    var areas: [String]?
    var gateways: [String]?
    var priority: Int?
    var startAt: String?
    var expiresInSeconds: Int?
}

struct PreviewItem: Codable, Sendable {
    var gatewayId: String
    var itemId: String
    var bulletin: String
    var title: String
    var startAt: String
    var durationMs: Int64
    var priority: Int
}
