import ArgumentParser
import Foundation

/// `loactl link [status]`: the link to the level above and below (TT 39/2020's information
/// source systems): the upstream's state, last success, last error, backoff; each downstream's
/// last pull.
struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "The link to the upstream information source system and the downstream controllers: its state.",
        subcommands: [Status.self, Reports.self], defaultSubcommand: Status.self)

    struct Reports: APICommand {
        static let configuration = CommandConfiguration(commandName: "reports", abstract: "Period reports received from downstream controllers.")
        @OptionGroup var api: APIOptions
        @Option(help: "Only reports of this area and below.") var area: String?
        func run(_ client: APIClient) async throws {
            let request = APIRequest("GET", APIRoutes.prefix + "/link/reports", query: [("area", area)])
            api.output(list: try await client.list(request, limit: 0, all: true)) { items in
                var table = TextTable("DOWNSTREAM", "AREA", "FROM", "TO", "RECEIVED" + APITables.zoneLabel, "COMMUNES", "BROADCASTS")
                for r in items {
                    let report = r["report"]
                    table.add(r["downstream"]?.cell ?? "-", r["area"]?.cell ?? "-", r["from"]?.cell ?? "-", r["to"]?.cell ?? "-",
                              APITables.local(r["receivedAt"]), "\(report?["communes"]?.array?.count ?? 0)",
                              report?["totals"]?["broadcasts"]?["count"]?.cell ?? "-")
                }
                return table.render(empty: "no period report received")
            }
        }
    }

    struct Status: APICommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Connected, last success, last error and backoff of each link.")
        @OptionGroup var api: APIOptions
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRequest("GET", APIRoutes.prefix + "/link")), Self.render)
        }

        static func render(_ state: JSONValue) -> String {
            func text(_ value: JSONValue?) -> String { value == nil || value?.isNull == true ? "-" : value!.cell }
            var lines = ["identity: \(text(state["identity"]))"]
            if let up = state["upstream"], up.isNull == false {
                lines.append("upstream \(text(up["url"])): \(text(up["state"])), last success \(APITables.local(up["lastSuccess"]))\(APITables.zoneLabel)"
                             + ", cursor \(text(up["cursor"])), offers taken \(text(up["offersTaken"]))")
                if up["lastError"]?.isNull == false {
                    lines.append("  last error (\(APITables.local(up["lastErrorAt"]))): \(text(up["lastError"]))")
                    lines.append("  failures in a row \(text(up["failures"])), next try within \(text(up["backoffSeconds"])) s")
                }
            } else {
                lines.append("upstream: none configured")
            }
            var table = TextTable("DOWNSTREAM", "AREAS", "LAST PULL" + APITables.zoneLabel, "CURSOR", "CHAIN", "CYCLES REFUSED")
            for d in state["downstreams"]?.array ?? [] {
                table.add(text(d["name"]), (d["areas"]?.array ?? []).map(\.cell).joined(separator: ","), APITables.local(d["lastPull"]),
                          text(d["cursor"]), (d["chain"]?.array ?? []).map(\.cell).joined(separator: ","), text(d["refusals"]))
            }
            lines.append(table.render(empty: "no downstream configured"))
            return lines.joined(separator: "\n")
        }
    }
}
