import Testing
@testable import LoaController

@Suite struct UserStoreTests {
    @Test func createReadAndUpdate() async throws {
        let f = try await StoreFixture.seeded()
        let user = try await f.database.createUser(
            username: "kt-ha-tinh", password: "mat khau dai", role: .technician, areaID: "ha-tinh", origin: f.admin)
        #expect(user == User(username: "kt-ha-tinh", role: .technician, areaID: "ha-tinh", createdAt: f.clock.now))
        #expect(try await f.database.user("kt-ha-tinh") == user)
        let promoted = try await f.database.updateUser("kt-ha-tinh", role: .operator, areaID: nil, origin: f.admin)
        #expect(promoted.role == .operator && promoted.areaID == nil)
    }

    @Test func verifyPassword() async throws {
        let f = try await StoreFixture.seeded()
        #expect(try await f.database.verifyPassword(username: "admin", password: "correct horse")?.username == "admin")
        #expect(try await f.database.verifyPassword(username: "admin", password: "wrong horse") == nil)
        #expect(try await f.database.verifyPassword(username: "nobody", password: "correct horse") == nil)
        try await f.database.setPassword("admin", password: "new long password", origin: f.admin)
        #expect(try await f.database.verifyPassword(username: "admin", password: "correct horse") == nil)
        #expect(try await f.database.verifyPassword(username: "admin", password: "new long password") != nil)
    }

    @Test func aWeakHashIsUpgradedAtTheNextLogin() async throws {
        let clock = TestClock()
        let weak = ControllerDatabase.Options(passwordHasher: .fastForTests, now: { clock.now })
        let database = try ControllerDatabase.inMemory(vault: .ephemeral(), options: weak)
        try await StoreFixture(database: database, clock: clock).seed()
        let stronger = PasswordHasher(logRounds: 5, blockSize: 8, parallelism: 1)
        let upgraded = try ControllerDatabase(writer: database.writer, vault: database.vault,
                                          options: .init(passwordHasher: stronger, now: { clock.now }))
        func stored() async throws -> String? {
            try await upgraded.read { db in
                try String.fetchOne(db, sql: "SELECT password_hash FROM user_account WHERE username = 'admin'")
            }
        }
        #expect(try await stored()?.hasPrefix("$scrypt$ln=4,") == true)
        #expect(try await upgraded.verifyPassword(username: "admin", password: "wrong horse") == nil)
        #expect(try await stored()?.hasPrefix("$scrypt$ln=4,") == true, "a failed login changes nothing")
        #expect(try await upgraded.verifyPassword(username: "admin", password: "correct horse") != nil)
        #expect(try await stored()?.hasPrefix("$scrypt$ln=5,") == true)
        #expect(try await upgraded.verifyPassword(username: "admin", password: "correct horse") != nil)
    }

    @Test func hashIsStoredNotThePassword() async throws {
        let f = try await StoreFixture.seeded()
        let stored = try await f.database.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM user_account WHERE username = 'admin'")
        }
        #expect(stored?.hasPrefix("$scrypt$") == true)
        #expect(stored?.contains("correct horse") == false)
    }

    @Test func shortPasswordsAndDuplicatesAreRefused() async throws {
        let f = try await StoreFixture.seeded()
        await #expect(throws: StoreError.self) {
            try await f.database.createUser(username: "x", password: "short", role: .broadcaster, areaID: nil, origin: f.admin)
        }
        await #expect(throws: StoreError.alreadyExists(kind: "user", id: "admin")) {
            try await f.database.createUser(username: "admin", password: "long enough", role: .admin, areaID: nil, origin: f.admin)
        }
        await #expect(throws: StoreError.notFound(kind: "area", id: "nowhere")) {
            try await f.database.createUser(username: "y", password: "long enough", role: .admin, areaID: "nowhere", origin: f.admin)
        }
    }
}
