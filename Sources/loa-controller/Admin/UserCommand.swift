import ArgumentParser
import LoaController

/// `loa-controller admin user …`: the recovery path on the controller machine when no one can
/// log in as an admin any more (a forgotten password, or a role changed by mistake).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Users: list, add, change a role or a password (recovery on the controller machine).",
        subcommands: [List.self, Add.self, SetRole.self, SetPassword.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their role and area.")
        @OptionGroup var state: StateOptions

        func run() async throws {
            let (_, opened, _) = try await state.open()
            for user in try await opened.database.users() {
                print("\(user.username)\t\(user.role.rawValue)\t\(user.areaID ?? "(whole system)")")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; prints a generated password once unless --password is given.")
        @OptionGroup var state: StateOptions
        @Argument(help: "Username, e.g. bt-tan-lap.") var username: String
        @Option(help: "admin, operator, broadcaster or technician.") var role: String
        @Option(help: "The area the user works in (required for a broadcaster).") var area: String?
        @Option(help: "The password (at least 8 characters); generated when absent.") var password: String?

        func run() async throws {
            let role = try parseRole(role)
            let (_, opened, _) = try await state.open()
            let chosen = password ?? ControllerState.generatePassword()
            _ = try await opened.database.createUser(username: username, password: chosen, role: role, areaID: area,
                                                     origin: state.origin)
            print("user \(username) added as \(role.rawValue)\(area.map { " in \($0)" } ?? "")")
            if password == nil { print("password (shown once): \(chosen)") }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-role", abstract: "Change a user's role and area (the last system-wide admin stays one).")
        @OptionGroup var state: StateOptions
        @Argument(help: "Username.") var username: String
        @Argument(help: "admin, operator, broadcaster or technician.") var role: String
        @Option(help: "The user's area; leave out for the whole system.") var area: String?

        func run() async throws {
            let role = try parseRole(role)
            let (_, opened, _) = try await state.open()
            let user = try await opened.database.updateUser(username, role: role, areaID: area, origin: state.origin)
            print("user \(user.username) is now \(user.role.rawValue)\(user.areaID.map { " in \($0)" } ?? " for the whole system")")
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password", abstract: "Set a user's password; prints a generated one once unless --password is given.")
        @OptionGroup var state: StateOptions
        @Argument(help: "Username.") var username: String
        @Option(help: "The new password (at least 8 characters); generated when absent.") var password: String?

        func run() async throws {
            let (_, opened, _) = try await state.open()
            let chosen = password ?? ControllerState.generatePassword()
            try await opened.database.setPassword(username, password: chosen, origin: state.origin)
            print("password of \(username) changed")
            if password == nil { print("password (shown once): \(chosen)") }
        }
    }
}

private func parseRole(_ text: String) throws -> User.Role {
    guard let role = User.Role(rawValue: text) else {
        throw ValidationError("the role must be one of \(User.Role.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
    }
    return role
}
