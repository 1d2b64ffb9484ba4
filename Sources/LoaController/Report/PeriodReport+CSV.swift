import Foundation

/// The report as CSV (RFC 4180, CRLF): what a province files or opens in a spreadsheet.
extension PeriodReport {
    /// One row a commune, then a `total` row. Durations in seconds.
    public func communeCSV() -> String {
        let classes = ["own", "normal", "priority", "emergency"], origins = Origin.allCases.map(\.rawValue)
        var header = ["area_id", "name", "from", "to", "broadcasts", "broadcast_seconds"]
        header += classes.flatMap { ["class_\($0)", "class_\($0)_seconds"] }
        header += origins.flatMap { ["origin_\($0)", "origin_\($0)_seconds"] }
        header += ["programs_planned", "programs_run", "gateway_plays", "gateway_play_seconds", "plays_missed", "gateways",
                   "online_seconds", "uptime_seconds", "observed_seconds"]
        var lines = [header]
        func row(_ id: String, _ name: String, broadcasts: Tally, byClass: ByClass, byOrigin: ByOrigin, programs: Programs, plays: Tally,
                 missed: Int, gateways: Int, online: Int64, up: Int64, observed: Int64) -> [String] {
            var fields = [id, name, from, to, "\(broadcasts.count)", "\(broadcasts.seconds)"]
            for tally in [byClass.own, byClass.normal, byClass.priority, byClass.emergency] { fields += ["\(tally.count)", "\(tally.seconds)"] }
            for origin in Origin.allCases { fields += ["\(byOrigin[origin].count)", "\(byOrigin[origin].seconds)"] }
            return fields + ["\(programs.planned)", "\(programs.run)", "\(plays.count)", "\(plays.seconds)", "\(missed)", "\(gateways)",
                             "\(online)", "\(up)", "\(observed)"]
        }
        for commune in communes {
            lines.append(row(commune.areaId, commune.name, broadcasts: commune.broadcasts, byClass: commune.byClass, byOrigin: commune.byOrigin,
                             programs: commune.programs, plays: commune.plays, missed: commune.missed, gateways: commune.gateways.count,
                             online: commune.gateways.map(\.onlineSeconds).reduce(0, +), up: commune.gateways.map(\.uptimeSeconds).reduce(0, +),
                             observed: commune.gateways.map(\.observedSeconds).reduce(0, +)))
        }
        lines.append(row("total", area.name, broadcasts: totals.broadcasts, byClass: totals.byClass, byOrigin: totals.byOrigin,
                         programs: totals.programs, plays: totals.plays, missed: totals.missed, gateways: totals.gateways,
                         online: totals.onlineSeconds, up: totals.uptimeSeconds, observed: totals.observedSeconds))
        return Self.csv(lines)
    }

    /// One row a gateway.
    public func gatewayCSV() -> String {
        var lines = [["area_id", "gateway_id", "name", "from", "to", "plays", "play_seconds", "plays_missed",
                      "online_seconds", "uptime_seconds", "observed_seconds"]]
        for commune in communes {
            for gateway in commune.gateways {
                lines.append([commune.areaId, gateway.id, gateway.name, from, to, "\(gateway.plays.count)", "\(gateway.plays.seconds)",
                              "\(gateway.missed)", "\(gateway.onlineSeconds)", "\(gateway.uptimeSeconds)", "\(gateway.observedSeconds)"])
            }
        }
        return Self.csv(lines)
    }

    static func csv(_ lines: [[String]]) -> String {
        lines.map { $0.map(APIHandlers.csvField).joined(separator: ",") + "\r\n" }.joined()
    }
}
