import Foundation
import Testing
@testable import LoaController

@Suite struct GatewaySecretVaultTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("loa-vault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func keyFileIsCreatedOwnerOnlyAndReused() throws {
        let keyFile = directory.appendingPathComponent("secrets.key")
        let vault = try GatewaySecretVault(keyFile: keyFile)
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let sealed = try vault.seal(GatewaySecret(bytes: Array(repeating: 7, count: 32)), gatewayID: "xa-tan-lap-01")
        let again = try GatewaySecretVault(keyFile: keyFile)
        #expect(try again.open(sealed, gatewayID: "xa-tan-lap-01").bytes == Array(repeating: 7, count: 32))
    }

    @Test func sealedSecretIsBoundToItsGateway() throws {
        let vault = GatewaySecretVault.ephemeral()
        let sealed = try vault.seal(.random(), gatewayID: "xa-tan-lap-01")
        #expect(throws: StoreError.secretUnreadable(gatewayID: "xa-tan-lap-02", keyFile: "(ephemeral)")) {
            try vault.open(sealed, gatewayID: "xa-tan-lap-02")
        }
    }

    @Test func wrongKeyFileGivesAClearError() async throws {
        let path = directory.appendingPathComponent("controller.sqlite").path
        let rightKey = directory.appendingPathComponent("right.key")
        let wrongKey = directory.appendingPathComponent("wrong.key")
        do {
            let db = try ControllerDatabase.open(path: path, vault: GatewaySecretVault(keyFile: rightKey),
                                                 options: .init(passwordHasher: .fastForTests))
            try await StoreFixture(database: db, clock: TestClock()).seed()
        }
        // Refused at start, naming the key file, rather than at the first gateway's handshake.
        let error = #expect(throws: StoreError.self) {
            try ControllerDatabase.open(path: path, vault: GatewaySecretVault(keyFile: wrongKey),
                                        options: .init(passwordHasher: .fastForTests))
        }
        #expect(error?.description.hasPrefix("key file \(wrongKey.path): it does not open the gateway secrets stored in \(path)") == true,
                "\(String(describing: error))")
        // The right key still opens everything.
        let db = try ControllerDatabase.open(path: path, vault: GatewaySecretVault(keyFile: rightKey),
                                             options: .init(passwordHasher: .fastForTests))
        #expect(try await db.handshakeSecret(for: "xa-tan-lap-01").bytes.count == 32)
    }

    @Test func malformedOrExposedKeyFileIsRefused() throws {
        let short = directory.appendingPathComponent("short.key")
        try Data("c2hvcnQ=\n".utf8).write(to: short)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: short.path)
        let error = #expect(throws: StoreError.self) { try GatewaySecretVault(keyFile: short) }
        #expect(error?.description.contains("256-bit key") == true)

        let open = directory.appendingPathComponent("open.key")
        _ = try GatewaySecretVault(keyFile: open)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open.path)
        let exposed = #expect(throws: StoreError.self) { try GatewaySecretVault(keyFile: open) }
        #expect(exposed?.description.contains("chmod 600") == true)
    }

    @Test func secretsAreNotInTheDatabaseFileInClear() async throws {
        let path = directory.appendingPathComponent("controller.sqlite").path
        var secrets: [GatewaySecret] = []
        do {
            let db = try ControllerDatabase.open(
                path: path, vault: GatewaySecretVault(keyFile: directory.appendingPathComponent("k.key")),
                options: .init(passwordHasher: .fastForTests))
            try await StoreFixture(database: db, clock: TestClock()).seed()
            for n in 1...5 {
                let r = try await db.createGateway(id: "xa-tan-lap-1\(n)", name: "x", areaID: "xa-tan-lap", location: nil, origin: .controller)
                secrets.append(r.secret)
            }
        }
        // The pool is closed: its WAL is checkpointed into the main file; read every file beside it too.
        var bytes = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("controller.sqlite") {
            bytes += try Data(contentsOf: directory.appendingPathComponent(name))
        }
        #expect(bytes.count > 0)
        #expect(bytes.range(of: Data("xa-tan-lap-11".utf8)) != nil, "sanity: the file holds the gateways")
        for secret in secrets {
            #expect(bytes.range(of: Data(secret.bytes)) == nil)
            #expect(bytes.range(of: Data(secret.base64.utf8)) == nil)
        }
    }
}
