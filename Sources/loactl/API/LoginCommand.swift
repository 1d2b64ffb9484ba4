import ArgumentParser
import Foundation

/// `loactl login`: exchanges a password for a token and keeps it in the session file.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a controller; the token is kept in $LOA_CONFIG_DIR/session.json (default ~/.config/loa/, mode 0600).")

    @OptionGroup var api: APIOptions
    @Option(help: "User name, e.g. admin.") var user: String
    @Flag(help: "Read the password from the first line of standard input (for scripts).") var passwordStdin = false

    func run() async throws {
        try await reportingAPIFailures {
            let password = try PasswordInput.read(fromStandardInput: passwordStdin, prompt: "Password for \(user): ")
            let client = try api.client(needsToken: false)
            let answer = try await client.json(APIRoutes.login(user: user, password: password))
            guard let token = answer["token"]?.string else { throw APIFailure.badResponse("login answered without a token") }
            let session = Session(controller: client.connection.controller.absoluteString, token: token,
                                  expiresAt: answer["expiresAt"]?.string ?? "", username: answer["user"]?["username"]?.string ?? user)
            let path = Session.path(environment: ProcessInfo.processInfo.environment)
            try session.save(path: path)
            api.output(answer["user"] ?? .null) { user in
                "logged in to \(session.controller) as \(user["username"]?.cell ?? self.user) (\(user["role"]?.cell ?? "?")"
                    + "\(user["areaId"].map { $0.isNull ? "" : ", area \($0.cell)" } ?? "")); token valid until \(session.expiresAt)"
            }
        }
    }

}

/// A password typed at the terminal (not echoed) or, for scripts, the first line of standard input.
enum PasswordInput {
    static func read(fromStandardInput: Bool, prompt: String) throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw APIFailure.usage("--password-stdin: standard input held no password")
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1, let typed = getpass(prompt) else {
            throw APIFailure.usage("standard input is not a terminal: pass the password with --password-stdin")
        }
        return String(cString: typed)
    }
}

/// `loactl logout`: ends the token on the controller and forgets it locally.
struct LogoutCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "End the session and delete the session file.")
    @OptionGroup var api: APIOptions

    func run(_ client: APIClient) async throws {
        _ = try await client.send(APIRoutes.logout)
        let path = Session.path(environment: ProcessInfo.processInfo.environment)
        try? FileManager.default.removeItem(atPath: path)
        print("logged out")
    }
}
