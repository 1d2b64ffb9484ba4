import ArgumentParser
import Foundation

/// Options every API command takes.
struct APIOptions: ParsableArguments {
    @Option(help: "Controller URL, e.g. http://127.0.0.1:8080 (default: LOA_CONTROLLER, then the session's).")
    var controller: String?

    @Flag(help: "Print the API's JSON instead of a table (a list prints its items).")
    var json = false

    /// The client for this invocation, from the flag, the environment and the session file.
    func client(needsToken: Bool = true) throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        let session = try Session.load(path: Session.path(environment: environment))
        return APIClient(connection: try Connection.resolve(flag: controller, environment: environment, session: session,
                                                            needsToken: needsToken))
    }

    /// Prints `value` as JSON (`--json`) or as the table `render` makes of it.
    func output(_ value: JSONValue, _ render: (JSONValue) -> String) {
        print(json ? value.serialized(pretty: true) : render(value))
    }

    /// Prints a gateway command's answer; a refusal (`ok: false`) is also loactl's failure, so a
    /// script sees it in the exit status.
    func output(command value: JSONValue) throws {
        output(value, APITables.commandResult)
        if value["ok"]?.bool == false { throw APIFailure.refused(value["message"]?.string ?? "no reason given") }
    }

    /// Prints a list: its items as a JSON array, or a table.
    func output(list items: [JSONValue], _ render: ([JSONValue]) -> String) {
        print(json ? JSONValue.array(items).serialized(pretty: true) : render(items))
    }
}

/// An API command: runs `body` with the client, reporting failures as one line and an exit code.
protocol APICommand: AsyncParsableCommand {
    var api: APIOptions { get }
    func run(_ client: APIClient) async throws
}

extension APICommand {
    func run() async throws {
        try await reportingAPIFailures {
            try await run(try api.client())
        }
    }
}
