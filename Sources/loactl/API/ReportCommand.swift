import ArgumentParser
import Foundation

/// `loactl report`: the period report of an area (what its communes broadcast, by class and
/// origin; programs run against due; plays missed; gateways' time online and up), as a table,
/// JSON or CSV.
struct ReportCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "An area's period report (TT 39's upward report).")
    @OptionGroup var api: APIOptions
    @Option(help: "The province, district or commune (default your own area).") var area: String?
    @Option(help: "A month, YYYY-MM (default this month so far).") var month: String?
    @Option(help: "First local day, YYYY-MM-DD (with --to, instead of --month).") var from: String?
    @Option(help: "Last local day, YYYY-MM-DD, inclusive.") var to: String?
    @Flag(help: "CSV as the API exports it, one row a commune and a total row.") var csv = false
    @Flag(help: "With --csv: one row a gateway.") var gateways = false

    func run(_ client: APIClient) async throws {
        let request = APIRoutes.periodReport(area: area, month: month, from: from, to: to, csv: csv, gatewayRows: gateways)
        if csv {
            FileHandle.standardOutput.write(try await client.send(request).body)
            return
        }
        api.output(try await client.json(request), APITables.periodReport)
    }
}
