import ArgumentParser
import Foundation

/// `loactl users list|add|set`: user accounts (admin; an operator within their area).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "User accounts: list, add, change role, area or password.",
        discussion: """
            Example: loactl users add bt-tan-lap --role broadcaster --area xa-tan-lap ; loactl users set bt-tan-lap --password
            Roles: admin (everything), operator (an area: approve, announce, go live), broadcaster (a commune: upload,
            schedule approved bulletins), technician (an area: gateways and their commands).
            """,
        subcommands: [List.self, Add.self, Set.self], defaultSubcommand: List.self)

    static let roles = ["admin", "operator", "broadcaster", "technician"]

    struct List: APICommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Users you may see.")
        @OptionGroup var api: APIOptions
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.list(APIRoutes.users, limit: 0, all: true), APITables.users)
        }
    }

    struct Add: APICommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a user; the password is asked (or read with --password-stdin).")
        @OptionGroup var api: APIOptions
        @Argument(help: "User name (letters, digits, '-', '_', '.').") var username: String
        @Option(help: "admin, operator, broadcaster or technician.") var role: String
        @Option(help: "The area the user works in (required but for admins).") var area: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run(_ client: APIClient) async throws {
            guard UsersCommand.roles.contains(role) else { throw APIFailure.usage("--role is one of \(UsersCommand.roles.joined(separator: ", ")), not '\(role)'") }
            let password = try PasswordInput.read(fromStandardInput: passwordStdin, prompt: "Password for the new user \(username): ")
            let user = try await client.json(APIRoutes.addUser(username: username, password: password, role: role, area: area))
            api.output(user, APITables.user)
        }
    }

    struct Set: APICommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a user's role, area or password, or disable or enable the account.")
        @OptionGroup var api: APIOptions
        @Argument(help: "User name.") var username: String
        @Option(help: "New role: admin, operator, broadcaster or technician.") var role: String?
        @Option(help: "New area.") var area: String?
        @Flag(help: "No area (system-wide; admins).") var noArea = false
        @Flag(help: "Set a new password (asked, or read with --password-stdin).") var password = false
        @Flag(help: "Read the new password from the first line of standard input.") var passwordStdin = false
        @Flag(help: "Disable the account: no login, its sessions end at once.") var disable = false
        @Flag(help: "Enable a disabled account.") var enable = false

        func run(_ client: APIClient) async throws {
            if let role, !UsersCommand.roles.contains(role) {
                throw APIFailure.usage("--role is one of \(UsersCommand.roles.joined(separator: ", ")), not '\(role)'")
            }
            guard !(area != nil && noArea) else { throw APIFailure.usage("give --area or --no-area, not both") }
            guard !(disable && enable) else { throw APIFailure.usage("give --disable or --enable, not both") }
            var fields: [String: JSONValue] = [:]
            if let role { fields["role"] = .string(role) }
            if let area { fields["areaId"] = .string(area) }
            if noArea { fields["areaId"] = .null }
            if disable || enable { fields["disabled"] = .bool(disable) }
            if password || passwordStdin {
                fields["password"] = .string(try PasswordInput.read(fromStandardInput: passwordStdin, prompt: "New password for \(username): "))
            }
            guard !fields.isEmpty else { throw APIFailure.usage("nothing to change: give --role, --area, --no-area, --password, --disable or --enable") }
            api.output(try await client.json(APIRoutes.updateUser(username, fields: .object(fields))), APITables.user)
        }
    }
}
