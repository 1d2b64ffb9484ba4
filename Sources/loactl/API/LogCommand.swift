import ArgumentParser
import Foundation

/// `loactl log`: the as-played log, newest first, as a table, JSON or CSV.
struct PlayLogCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "The as-played log, newest first.")
    @OptionGroup var api: APIOptions
    @Option(help: "From: RFC 3339, YYYY-MM-DD, or a duration back (30m, 2h, 1d).") var since: String?
    @Option(help: "Until: same forms.") var until: String?
    @Option(help: "Only gateways in this area.") var area: String?
    @Option(help: "Only this gateway.") var gateway: String?
    @Option(help: "Only this bulletin (SHA-256).") var bulletin: String?
    @Option(help: "At most this many events.") var limit = 100
    @Flag(help: "Every event in the range (follows the pages).") var all = false
    @Flag(help: "How each item ended, one row per gateway and item (finished, interrupted, dropped, missed, failed, playing).")
    var outcomes = false
    @Flag(help: "CSV as the API exports it: at,gateway,item,bulletin,kind,position_ms,event_id,detail,origin,title,gateway_name,area (with --outcomes: first_at,last_at,gateway,item,bulletin,outcome,position_ms,events,detail,origin,title,gateway_name,area).")
    var csv = false

    func run(_ client: APIClient) async throws {
        guard limit > 0 else { throw APIFailure.usage("--limit must be positive") }
        let now = Date()
        let request = APIRoutes.playLog(area: area, gateway: gateway, bulletin: bulletin,
                                        since: try since.map { try TimeArgument.parse($0, now: now) },
                                        until: try until.map { try TimeArgument.parse($0, now: now) }, csv: csv,
                                        outcomes: outcomes)
        if csv {
            var page = request
            page.query.append(("limit", String(min(limit, 1000))))
            let answer = try await client.send(page)
            FileHandle.standardOutput.write(answer.body)
            return
        }
        api.output(list: try await client.list(request, limit: limit, all: all),
                   outcomes ? APITables.playOutcomes : APITables.playLog)
    }
}

/// `loactl audit`: who changed what, when, from where.
struct AuditCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log (admin, operator).")
    @OptionGroup var api: APIOptions
    @Option(help: "Only entries after this sequence number.") var after: Int?
    @Option(help: "At most this many entries.") var limit = 100
    @Flag(help: "Every entry (follows the pages).") var all = false
    func run(_ client: APIClient) async throws {
        api.output(list: try await client.list(APIRoutes.audit(after: after), limit: limit, all: all), APITables.audit)
    }
}
