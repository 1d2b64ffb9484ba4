import ArgumentParser
import Foundation
import LoaGateway

/// `loactl gateway …`: a technician's view of the gateway on this board, over its control socket.
struct GatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Ask the loa-gateway on this machine (its control socket): status, schedule, cache, volume, test tone, logs.",
        subcommands: [GatewayStatusCommand.self, GatewayScheduleCommand.self, GatewayCacheCommand.self,
                      GatewayVolumeCommand.self, GatewayTestToneCommand.self, GatewayLogsCommand.self]
    )
}

/// Where the socket is and how to print; shared by every `loactl gateway` subcommand.
struct GatewaySocketOptions: ParsableArguments {
    @Option(name: .long, help: "Control socket (default: $LOA_GATEWAY_SOCKET or \(GatewayClient.defaultSocket)).")
    var socket: String?

    @Flag(name: .long, help: "Print the gateway's JSON answer as it came.")
    var json = false

    var path: String {
        socket ?? ProcessInfo.processInfo.environment["LOA_GATEWAY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 } ?? GatewayClient.defaultSocket
    }

    /// Sends `request`, prints the answer (JSON or the table `render` makes), and exits 1 with
    /// the gateway's message when it refused.
    func run(_ request: ControlRequest, render: (ControlAnswer) -> String) throws {
        let line: [UInt8]
        do { line = try GatewayClient(path: path).send(request) } catch {
            throw fail("\(error)", status: ExitStatus.unavailable)
        }
        let answer: ControlAnswer
        do { answer = try ControlAnswer.decode(line) } catch {
            throw fail("the gateway's answer is not understood: \(String(decoding: line.prefix(200), as: UTF8.self))", status: ExitStatus.software)
        }
        if json { print(String(decoding: line, as: UTF8.self)) }
        guard answer.ok else { throw fail(answer.error ?? "the gateway refused without a reason", status: 1) }
        if !json { print(render(answer), terminator: "") }
    }
}

struct GatewayStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Link, schedule version, playing, amplifier, volume, cache, errors.")
    @OptionGroup var options: GatewaySocketOptions
    func run() throws { try options.run(.status) { GatewayTables.status($0.status) } }
}

struct GatewayScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "The next plays of the stored schedule.")
    @OptionGroup var options: GatewaySocketOptions
    @Option(name: [.short, .long], help: "How many plays (1–500).") var count = 10
    func run() throws { try options.run(.schedule(count: count)) { GatewayTables.schedule($0.schedule) } }
}

struct GatewayCacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cache", abstract: "Cached content, sizes, quota, and what the schedule still needs.")
    @OptionGroup var options: GatewaySocketOptions
    func run() throws { try options.run(.cache) { GatewayTables.cache($0.cache) } }
}

struct GatewayVolumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "volume", abstract: "Show the volume, or set it (0–100; kept across restarts).")
    @OptionGroup var options: GatewaySocketOptions
    @Argument(help: "New volume in percent, 0–100; omit to show it.") var percent: Int?
    func validate() throws {
        if let percent, !(0...100).contains(percent) { throw ValidationError("volume must be 0–100, got \(percent)") }
    }
    func run() throws { try options.run(.volume(percent: percent)) { GatewayTables.volume($0.volume) } }
}

struct GatewayTestToneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test-tone", abstract: "Play a sine through the loudspeakers (amplifier on first).")
    @OptionGroup var options: GatewaySocketOptions
    @Argument(help: "Seconds, 0.1–60.") var seconds: Double = 3
    @Option(name: .long, help: "Frequency in Hz, 20–20000.") var frequency = 1_000
    func validate() throws {
        guard (0.1...60).contains(seconds) else { throw ValidationError("seconds must be 0.1–60, got \(seconds)") }
        guard (20...20_000).contains(frequency) else { throw ValidationError("frequency must be 20–20000 Hz, got \(frequency)") }
    }
    func run() throws { try options.run(.testTone(seconds: seconds, frequencyHz: frequency)) { GatewayTables.testTone($0.testTone) } }
}

struct GatewayLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "The gateway's most recent log lines (kept in memory).")
    @OptionGroup var options: GatewaySocketOptions
    @Option(name: [.customShort("n"), .long], help: "How many lines (1–1000).") var lines = 50
    func validate() throws {
        guard (1...1_000).contains(lines) else { throw ValidationError("-n must be 1–1000, got \(lines)") }
    }
    func run() throws { try options.run(.logs(lines: lines)) { ($0.logs ?? []).map { $0 + "\n" }.joined() } }
}
