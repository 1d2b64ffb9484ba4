import Foundation

// Request bodies. Optional fields of PATCH bodies are "leave as is" when absent.

/// A JSON request body, naming its optional fields that docs/openapi.yaml does not declare
/// nullable: `APIJSON.decode` refuses `null` for them instead of reading it as absent.
protocol APIBody: Decodable, Sendable {
    static var notNullableFields: Set<String> { get }
}

extension APIBody {
    static var notNullableFields: Set<String> { [] }
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
    var username: String
    var password: String
    var role: String
    var areaId: String?
}

/// `areaId` present as null means "no area" (system-wide), absent means unchanged.
struct UserPatch: APIBody {
    static let notNullableFields: Set<String> = ["role", "password", "disabled"]
    var role: String?
    var areaId: String??
    var password: String?
    var disabled: Bool?

    enum CodingKeys: String, CodingKey { case role, areaId, password, disabled }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decodeIfPresent(String.self, forKey: .role)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        disabled = try c.decodeIfPresent(Bool.self, forKey: .disabled)
        areaId = c.contains(.areaId) ? .some(try c.decodeIfPresent(String.self, forKey: .areaId)) : nil
    }
}

struct AreaInput: APIBody {
    var id: String
    var name: String
    var kind: String
    var parentId: String?
}

struct AreaPatch: APIBody {
    static let notNullableFields: Set<String> = ["name"]
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
    static let notNullableFields: Set<String> = ["location"]
    var id: String
    var name: String
    var areaId: String
    var location: APILocation?
}

struct GatewayPatch: APIBody {
    static let notNullableFields: Set<String> = ["name", "areaId"]
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
    static let notNullableFields: Set<String> = ["percent", "seconds", "frequencyHz", "lines"]
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
    static let notNullableFields: Set<String> = ["areas", "gateways", "days", "priority", "repeat", "onBusy", "onInterrupt"]
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
    static let notNullableFields: Set<String> = ["areas", "gateways", "priority", "startAt", "expiresInSeconds"]
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
