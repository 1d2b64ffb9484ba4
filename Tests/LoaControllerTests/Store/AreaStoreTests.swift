import Testing
@testable import LoaController

@Suite struct AreaStoreTests {
    @Test func createReadAndUpdate() async throws {
        let f = try await StoreFixture.seeded()
        #expect(try await f.database.area("xa-tan-lap") == StoreFixture.areas[2])
        var renamed = try await f.database.area("xa-tan-lap")
        renamed.name = "Xã Tân Lập (mới)"
        try await f.database.updateArea(renamed, origin: f.admin)
        #expect(try await f.database.area("xa-tan-lap").name == "Xã Tân Lập (mới)")
    }

    @Test func subtreeListsParentsBeforeChildren() async throws {
        let f = try await StoreFixture.seeded()
        let ids = try await f.database.subtree(of: "ha-tinh").map(\.id)
        #expect(ids == ["ha-tinh", "cam-xuyen", "ky-anh", "xa-cam-binh", "xa-ky-phong", "xa-tan-lap"])
        #expect(try await f.database.subtree(of: "xa-tan-lap").map(\.id) == ["xa-tan-lap"])
    }

    @Test func ancestorsNearestFirst() async throws {
        let f = try await StoreFixture.seeded()
        #expect(try await f.database.ancestors(of: "xa-tan-lap").map(\.id) == ["cam-xuyen", "ha-tinh"])
        #expect(try await f.database.ancestors(of: "ha-tinh").isEmpty)
    }

    @Test func unknownAreaIsNamedInTheError() async throws {
        let f = try await StoreFixture.seeded()
        let error = await #expect(throws: StoreError.self) { try await f.database.area("xa-khong-co") }
        #expect(error?.description == "area 'xa-khong-co' does not exist")
    }

    @Test(arguments: [
        Area(id: "bad-1", name: "x", kind: .district, parentID: nil),
        Area(id: "bad-2", name: "x", kind: .district, parentID: "cam-xuyen"),
        Area(id: "bad-3", name: "x", kind: .commune, parentID: "xa-tan-lap"),
        Area(id: "bad-4", name: "x", kind: .province, parentID: "ha-tinh"),
    ])
    func wrongParentKindIsRefused(area: Area) async throws {
        let f = try await StoreFixture.seeded()
        await #expect(throws: StoreError.self) { try await f.database.createArea(area, origin: f.admin) }
    }

    @Test func communeMayHangDirectlyUnderAProvince() async throws {
        let f = try await StoreFixture.seeded()
        try await f.database.createArea(Area(id: "xa-moi", name: "Xã Mới", kind: .commune, parentID: "ha-tinh"), origin: f.admin)
        #expect(try await f.database.ancestors(of: "xa-moi").map(\.id) == ["ha-tinh"])
    }

    @Test func schemaRefusesWhatCodeWouldRefuse() async throws {
        let f = try await StoreFixture.seeded()
        // Bypass the store's checks: the schema's trigger still refuses a commune under a commune.
        #expect(throws: (any Error).self) {
            try f.database.writer.write { db in
                try db.execute(sql: "INSERT INTO area (id, name, kind, parent_id) VALUES ('x', 'x', 'commune', 'xa-tan-lap')")
            }
        }
    }
}
