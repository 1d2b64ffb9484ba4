import Foundation
import ArgumentParser

/// `loactl gateways …`: the fleet, enrolment, and commands to one gateway.
struct GatewaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateways", abstract: "Gateways: live status, enrolment, secrets and commands.",
        subcommands: [List.self, Show.self, Add.self, Move.self, RotateSecret.self, Volume.self, TestTone.self, Restart.self, Logs.self],
        defaultSubcommand: List.self)

    struct List: APICommand {
        static let configuration = CommandConfiguration(abstract: "Every gateway in scope with its live status and latest health.")
        @OptionGroup var api: APIOptions
        @Option(help: "Only gateways in this area (and below).") var area: String?
        @Flag(help: "Follow the list to its end (default: the first 1000).") var all = false
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.list(APIRoutes.gateways(area: area), limit: 1000, all: all), APITables.gateways)
        }
    }

    struct Show: APICommand {
        static let configuration = CommandConfiguration(abstract: "One gateway with its health history.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id.") var id: String
        @Option(help: "Health samples to show.") var history = 10
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.gateway(id, history: history)), APITables.gatewayDetail)
        }
    }

    struct Add: APICommand {
        static let configuration = CommandConfiguration(abstract: "Enrol a gateway; prints its secret once.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id, e.g. xa-tan-lap-01.") var id: String
        @Option(help: "The commune it stands in.") var area: String
        @Option(help: "Display name (default: the id).") var name: String?
        @Option(help: "Latitude in degrees.") var latitude: Double?
        @Option(help: "Longitude in degrees.") var longitude: Double?
        @Option(help: "Also write the secret to this file (mode 0600), for the gateway's secret_file.") var secretFile: String?

        func run(_ client: APIClient) async throws {
            let answer = try await client.json(try APIRoutes.addGateway(id: id, name: name, area: area, latitude: latitude, longitude: longitude))
            guard let secret = answer["secret"]?.string else { throw APIFailure.badResponse("the new gateway came back without a secret") }
            if let secretFile { try writeSecret(secret, to: secretFile) }
            api.output(answer) { _ in
                "gateway \(id) added in \(area)\nsecret (shown once; the gateway's gateway.secret or the content of its secret_file): \(secret)"
            }
        }
    }

    struct Move: APICommand {
        static let configuration = CommandConfiguration(abstract: "Move a gateway to another area; it gets that area's schedule.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id.") var id: String
        @Option(help: "The new area.") var area: String
        func run(_ client: APIClient) async throws {
            let gateway = try await client.json(APIRoutes.moveGateway(id, area: area))
            api.output(gateway) { "gateway \($0["id"]?.cell ?? id) is now in \($0["areaId"]?.cell ?? area)" }
        }
    }

    struct RotateSecret: APICommand {
        static let configuration = CommandConfiguration(commandName: "rotate-secret",
                                                        abstract: "Give a gateway a new secret (the old one stops working); prints it once.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id.") var id: String
        @Option(help: "Also write the secret to this file (mode 0600).") var secretFile: String?
        func run(_ client: APIClient) async throws {
            let answer = try await client.json(APIRoutes.rotateSecret(id))
            guard let secret = answer["secret"]?.string else { throw APIFailure.badResponse("the rotation came back without a secret") }
            if let secretFile { try writeSecret(secret, to: secretFile) }
            api.output(answer) { _ in "new secret for \(id) (shown once): \(secret)" }
        }
    }

    struct Volume: APICommand {
        static let configuration = CommandConfiguration(abstract: "Set a gateway's volume.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id.") var id: String
        @Argument(help: "Percent, 0–100.") var percent: Int
        func run(_ client: APIClient) async throws {
            try api.output(command: try await client.json(try APIRoutes.volume(id, percent: percent)))
        }
    }

    struct TestTone: APICommand {
        static let configuration = CommandConfiguration(commandName: "test-tone", abstract: "Play a test tone on a gateway.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id.") var id: String
        @Option(help: "Seconds, 1–60.") var seconds = 5
        @Option(help: "Frequency in Hz.") var frequency = 1000
        func run(_ client: APIClient) async throws {
            try api.output(command: try await client.json(try APIRoutes.testTone(id, seconds: seconds, frequencyHz: frequency)))
        }
    }

    struct Restart: APICommand {
        static let configuration = CommandConfiguration(abstract: "Restart a gateway's daemon.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id.") var id: String
        func run(_ client: APIClient) async throws {
            try api.output(command: try await client.json(APIRoutes.restart(id)))
        }
    }

    struct Logs: APICommand {
        static let configuration = CommandConfiguration(abstract: "Fetch a gateway's recent log lines.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Gateway id.") var id: String
        @Option(help: "Lines, 1–10000.") var lines = 100
        func run(_ client: APIClient) async throws {
            try api.output(command: try await client.json(try APIRoutes.logs(id, lines: lines)))
        }
    }
}

/// The secret as the gateway's secret_file wants it: the text, mode 0600.
func writeSecret(_ secret: String, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { throw APIFailure.file("cannot write the secret to \(path)", status: ExitStatus.cannotCreate) }
    defer { close(fd) }
    let bytes = Array((secret + "\n").utf8)
    guard write(fd, bytes, bytes.count) == bytes.count else {
        throw APIFailure.file("cannot write the secret to \(path)", status: ExitStatus.cannotCreate)
    }
}
