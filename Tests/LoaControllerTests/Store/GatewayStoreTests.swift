import Foundation
import Testing
@testable import LoaController

@Suite struct GatewayStoreTests {
    @Test func createReadAndUpdate() async throws {
        let f = try await StoreFixture.seeded()
        let registration = try await f.database.createGateway(
            id: "xa-tan-lap-03", name: "Chợ Tân Lập", areaID: "xa-tan-lap",
            location: .init(latitude: 18.25, longitude: 106.0), origin: f.admin)
        #expect(registration.gateway.createdAt == f.clock.now)
        #expect(registration.gateway.scheduleVersion == 1)
        #expect(registration.secret.bytes.count == 32)
        #expect(try await f.database.gateway("xa-tan-lap-03") == registration.gateway)

        let moved = try await f.database.updateGateway(
            "xa-tan-lap-03", name: "Chợ Cẩm Bình", areaID: "xa-cam-binh", location: nil, origin: f.admin)
        #expect(moved.name == "Chợ Cẩm Bình")
        #expect(moved.areaID == "xa-cam-binh")
        #expect(moved.location == nil)
        #expect(moved.scheduleVersion == 2, "a move changes what the gateway should play")

        let renamed = try await f.database.updateGateway(
            "xa-tan-lap-03", name: "Chợ", areaID: "xa-cam-binh", location: nil, origin: f.admin)
        #expect(renamed.scheduleVersion == 2, "a rename does not")
    }

    @Test func gatewaysInSubtree() async throws {
        let f = try await StoreFixture.seeded()
        let ids = try await f.database.gateways(inSubtreeOf: "cam-xuyen").map(\.id)
        #expect(ids == ["xa-cam-binh-01", "xa-tan-lap-01", "xa-tan-lap-02"])
    }

    @Test func markSeenKeepsTheLatest() async throws {
        let f = try await StoreFixture.seeded()
        let t = f.clock.now
        try await f.database.markGatewaySeen("xa-tan-lap-01", at: t)
        try await f.database.markGatewaySeen("xa-tan-lap-01", at: t.addingTimeInterval(-60))
        #expect(try await f.database.gateway("xa-tan-lap-01").lastSeenAt == t)
        await #expect(throws: StoreError.notFound(kind: "gateway", id: "xa-tan-lap-09")) {
            try await f.database.markGatewaySeen("xa-tan-lap-09", at: t)
        }
    }

    @Test func unknownGatewayMessage() async throws {
        let f = try await StoreFixture.seeded()
        let error = await #expect(throws: StoreError.self) { try await f.database.gateway("xa-tan-lap-09") }
        #expect(error?.description == "gateway 'xa-tan-lap-09' does not exist")
    }

    @Test(arguments: ["", "Xa-Tan-Lap", "xa tan lap", "-xa", "xã-tân-lập", String(repeating: "a", count: 65)])
    func badIDsAreRefused(id: String) async throws {
        let f = try await StoreFixture.seeded()
        await #expect(throws: StoreError.self) {
            try await f.database.createGateway(id: id, name: "x", areaID: "xa-tan-lap", location: nil, origin: f.admin)
        }
    }

    @Test func aGatewayBelongsToACommune() async throws {
        let f = try await StoreFixture.seeded()
        let error = await #expect(throws: StoreError.self) {
            try await f.database.createGateway(id: "cx-01", name: "x", areaID: "cam-xuyen", location: nil, origin: f.admin)
        }
        #expect(error?.description.contains("a gateway belongs to a commune") == true)
        await #expect(throws: StoreError.alreadyExists(kind: "gateway", id: "xa-tan-lap-01")) {
            try await f.database.createGateway(id: "xa-tan-lap-01", name: "x", areaID: "xa-tan-lap", location: nil, origin: f.admin)
        }
    }

    @Test func secretRoundTripAndRotation() async throws {
        let f = try await StoreFixture.seeded()
        let registration = try await f.database.createGateway(
            id: "xa-tan-lap-03", name: "x", areaID: "xa-tan-lap", location: nil, origin: f.admin)
        #expect(try await f.database.handshakeSecret(for: "xa-tan-lap-03") == registration.secret)
        let rotated = try await f.database.rotateGatewaySecret("xa-tan-lap-03", origin: f.admin)
        #expect(rotated != registration.secret)
        #expect(try await f.database.handshakeSecret(for: "xa-tan-lap-03") == rotated)
        #expect(!"\(rotated)".contains(rotated.base64))
    }
}
