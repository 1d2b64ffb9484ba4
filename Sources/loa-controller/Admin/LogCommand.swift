import ArgumentParser
import Foundation
import LoaController

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Print the as-played log, newest last.")
    @OptionGroup var state: StateOptions
    @Option(help: "Only this gateway.") var gateway: String?
    @Option(help: "Only gateways in this area.") var area: String?
    @Option(help: "At most this many events.") var limit = 100

    func run() async throws {
        let (_, opened, _) = try await state.open()
        let page = try await opened.database.playEvents(PlayEventQuery(areaID: area, gatewayID: gateway, limit: limit))
        let format = ISO8601DateFormatter()
        for event in page.events {
            print("\(format.string(from: event.at)) \(event.gatewayID) \(event.kind.rawValue) \(event.itemID) \(event.bulletinSHA256 ?? "-")")
        }
    }
}
