import Foundation
import Logging

/// The controller's data on disk, opened from the configuration: the database (created and
/// migrated on first start), the key file that seals gateway secrets, and the content store.
public struct ControllerState: Sendable {
    public let database: ControllerDatabase
    public let content: ContentStore

    /// Creates `state.directory` (mode 0700) when missing and opens everything in it.
    public static func open(_ configuration: ControllerConfiguration, logger: Logger) throws(StoreError) -> ControllerState {
        let directory = configuration.state.directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .database("cannot create state directory \(directory) (state.directory): \(error.localizedDescription)")
        }
        let vault = try GatewaySecretVault(keyFile: URL(fileURLWithPath: configuration.keyFilePath))
        let database = try ControllerDatabase.open(path: configuration.databasePath, vault: vault,
                                                   options: .init(logger: logger))
        let content = try ContentStore(root: URL(fileURLWithPath: configuration.contentDirectoryPath))
        return ControllerState(database: database, content: content)
    }

    /// On first start, creates the `admin` user. The password is `LOA_ADMIN_PASSWORD` when set,
    /// otherwise generated; it is returned (to be printed once) only when generated.
    public func bootstrapAdmin(environment: [String: String]) async throws(StoreError) -> AdminBootstrap {
        do throws(StoreError) {
            _ = try await database.user("admin")
            return .existed
        } catch .notFound {
            let given = environment["LOA_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
            let password = given ?? Self.generatePassword()
            _ = try await database.createUser(username: "admin", password: password, role: .admin, areaID: nil,
                                              origin: .controller)
            return given == nil ? .created(generatedPassword: password) : .created(generatedPassword: nil)
        }
    }

    /// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}

/// What `bootstrapAdmin` did.
public enum AdminBootstrap: Sendable, Equatable {
    case existed
    /// The password to show once, or nil when it came from `LOA_ADMIN_PASSWORD`.
    case created(generatedPassword: String?)
}
