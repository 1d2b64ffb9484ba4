import Foundation
@testable import LoaController

/// A small province tree, two users and five gateways, in memory.
///
///     ha-tinh (province)
///       cam-xuyen (district): xa-tan-lap [xa-tan-lap-01, xa-tan-lap-02], xa-cam-binh [xa-cam-binh-01]
///       ky-anh (district): xa-ky-phong [xa-ky-phong-01]
///     nghe-an (province)
///       dien-chau (district): xa-dien-hoa [xa-dien-hoa-01]
struct StoreFixture {
    let database: ControllerDatabase
    /// The protocol view the rest of the controller uses.
    var store: any ControllerStore { database }
    let clock: TestClock
    let admin = AuditOrigin(actor: "admin", address: "10.0.0.5")
    let broadcaster = AuditOrigin(actor: "bt-tan-lap", address: "10.0.0.9")

    static let areas: [Area] = [
        Area(id: "ha-tinh", name: "Hà Tĩnh", kind: .province),
        Area(id: "cam-xuyen", name: "Cẩm Xuyên", kind: .district, parentID: "ha-tinh"),
        Area(id: "xa-tan-lap", name: "Xã Tân Lập", kind: .commune, parentID: "cam-xuyen"),
        Area(id: "xa-cam-binh", name: "Xã Cẩm Bình", kind: .commune, parentID: "cam-xuyen"),
        Area(id: "ky-anh", name: "Kỳ Anh", kind: .district, parentID: "ha-tinh"),
        Area(id: "xa-ky-phong", name: "Xã Kỳ Phong", kind: .commune, parentID: "ky-anh"),
        Area(id: "nghe-an", name: "Nghệ An", kind: .province),
        Area(id: "dien-chau", name: "Diễn Châu", kind: .district, parentID: "nghe-an"),
        Area(id: "xa-dien-hoa", name: "Xã Diễn Hoa", kind: .commune, parentID: "dien-chau"),
    ]

    static let gateways: [(id: String, area: String)] = [
        ("xa-tan-lap-01", "xa-tan-lap"), ("xa-tan-lap-02", "xa-tan-lap"), ("xa-cam-binh-01", "xa-cam-binh"),
        ("xa-ky-phong-01", "xa-ky-phong"), ("xa-dien-hoa-01", "xa-dien-hoa"),
    ]

    static func empty(clock: TestClock = TestClock(), healthHistoryLimit: Int = 5) throws -> StoreFixture {
        let options = ControllerDatabase.Options(
            passwordHasher: .fastForTests, healthHistoryLimit: healthHistoryLimit, now: { clock.now })
        return StoreFixture(database: try ControllerDatabase.inMemory(vault: .ephemeral(), options: options), clock: clock)
    }

    static func seeded(clock: TestClock = TestClock(), healthHistoryLimit: Int = 5) async throws -> StoreFixture {
        let fixture = try empty(clock: clock, healthHistoryLimit: healthHistoryLimit)
        try await fixture.seed()
        return fixture
    }

    func seed() async throws {
        for area in Self.areas { try await database.createArea(area, origin: .controller) }
        for gateway in Self.gateways {
            _ = try await database.createGateway(id: gateway.id, name: gateway.id, areaID: gateway.area, location: nil, origin: .controller)
        }
        _ = try await database.createUser(username: "admin", password: "correct horse", role: .admin, areaID: nil, origin: .controller)
        _ = try await database.createUser(
            username: "bt-tan-lap", password: "battery staple", role: .broadcaster, areaID: "xa-tan-lap", origin: .controller)
    }

    static func hash(_ n: Int) -> String {
        ContentStore.sha256Hex(of: Data("bulletin \(n)".utf8))
    }

    /// A draft bulletin by the broadcaster.
    func bulletin(_ n: Int) async throws -> Bulletin {
        try await database.createBulletin(
            NewBulletin(sha256: Self.hash(n), title: "Bản tin \(n)", durationMs: 90_000, loudnessLUFS: -16, byteSize: 540_000),
            origin: broadcaster)
    }

    func approvedBulletin(_ n: Int) async throws -> Bulletin {
        _ = try await bulletin(n)
        return try await database.transitionBulletin(Self.hash(n), to: .approved, origin: admin)
    }

    func versions() async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for gateway in Self.gateways { result[gateway.id] = try await database.gateway(gateway.id).scheduleVersion }
        return result
    }
}
