import Foundation

/// Human tables for the API's JSON shapes (docs: /work/contract.md "Shapes"). Pure: JSON in,
/// text out, so they are tested without a server.
enum APITables {
    /// Times in tables are local (`TimeArgument.zone`, where the loudspeakers are), labelled in
    /// each column's header; `--json` keeps the API's RFC 3339 UTC.
    static var zoneLabel: String {
        let seconds = TimeArgument.zone.secondsFromGMT()
        let hours = seconds / 3600, minutes = abs(seconds % 3600) / 60
        return " (UTC" + (hours >= 0 ? "+" : "") + "\(hours)" + (minutes == 0 ? "" : String(format: ":%02d", minutes)) + ")"
    }

    /// An RFC 3339 time as local `YYYY-MM-DD HH:MM:SS`; "-" when absent or not a time.
    static func local(_ value: JSONValue?) -> String {
        guard let text = value?.string, let date = TimeArgument.rfc3339(text) else { return value?.isNull == false ? value?.cell ?? "-" : "-" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeArgument.zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func gateways(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "NAME", "AREA", "ONLINE", "LAST SEEN" + zoneLabel, "SCHEDULE", "VOLUME", "PLAYING", "LAST ERROR")
        for g in items {
            let health = g["health"]
            table.add(g["id"]?.cell ?? "-", g["name"]?.cell ?? "-", g["areaId"]?.cell ?? "-",
                      g["online"]?.bool == true ? "online" : "offline", local(g["lastSeenAt"]),
                      g["scheduleVersion"].map { "v" + $0.cell } ?? "-",
                      health?["volumePercent"].map { $0.cell + "%" } ?? "-",
                      health?["nowPlaying"].map(nowPlaying) ?? "-", health?["lastError"]?.cell ?? "-")
        }
        return table.render(empty: "no gateways")
    }

    /// `nowPlaying` may be a string, an object (item, bulletin …) or null.
    static func nowPlaying(_ value: JSONValue) -> String {
        if case .object = value {
            return value["title"]?.string ?? value["itemId"]?.string ?? value["sha256"]?.string ?? value.cell
        }
        return value.cell
    }

    static func gatewayDetail(_ answer: JSONValue) -> String {
        let g = answer["gateway"] ?? answer
        var lines = fields(g, ["id", "name", "areaId", "online", "lastSeenAt", "scheduleVersion"])
        if let location = g["location"], !location.isNull {
            lines += "\nlocation        \(location["latitude"]?.cell ?? "-"), \(location["longitude"]?.cell ?? "-")"
        }
        if case .object(let health)? = g["health"] {
            lines += "\nhealth:"
            for key in health.keys.sorted() { lines += "\n  \(key.padding(16))\(health[key]!.cell)" }
        } else {
            lines += "\nhealth          none reported yet"
        }
        if let history = answer["healthHistory"]?.array, !history.isEmpty {
            lines += "\nhealth history:"
            for sample in history {
                let report = sample["report"]
                lines += "\n  \(sample["at"]?.cell ?? "-")  volume \(report?["volumePercent"]?.cell ?? "-")%"
                    + "  playing \(report?["nowPlaying"].map(nowPlaying) ?? "-")  error \(report?["lastError"]?.cell ?? "-")"
            }
        }
        return lines
    }

    static func bulletins(_ items: [JSONValue]) -> String {
        var table = TextTable("SHA256", "STATE", "DURATION", "LUFS", "CREATED BY", "TITLE")
        for b in items {
            table.add(b["sha256"]?.cell ?? "-", b["state"]?.cell ?? "-", duration(b["durationMs"]),
                      b["loudnessLufs"]?.number.map { String(format1: $0) } ?? "-", b["createdBy"]?.cell ?? "-", b["title"]?.cell ?? "-")
        }
        return table.render(empty: "no bulletins")
    }

    static func bulletin(_ b: JSONValue) -> String {
        fields(b, ["sha256", "title", "state", "durationMs", "loudnessLufs", "byteSize", "createdBy", "createdAt", "approvedBy", "approvedAt"])
    }

    static func schedules(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "BULLETIN", "TARGETS", "WHEN", "FROM", "UNTIL", "PRIORITY", "REPEAT", "ON BUSY")
        for s in items {
            table.add(s["id"]?.cell ?? "-", String((s["bulletin"]?.cell ?? "-").prefix(12)), targets(s), when(s),
                      s["from"]?.cell ?? "-", s["until"]?.cell ?? "-", s["priority"]?.cell ?? "-", s["repeat"]?.cell ?? "-",
                      s["onBusy"]?.cell ?? "-")
        }
        return table.render(empty: "no schedules")
    }

    static func schedule(_ s: JSONValue) -> String {
        "schedule \(s["id"]?.cell ?? "-"): \(String((s["bulletin"]?.cell ?? "-").prefix(12))) to \(targets(s)), \(when(s)) from \(s["from"]?.cell ?? "-")"
            + (s["until"].map { $0.isNull ? "" : " until \($0.cell)" } ?? "") + ", priority \(s["priority"]?.cell ?? "-")"
    }

    static func targets(_ s: JSONValue) -> String {
        let areas = (s["areas"]?.array ?? []).map { "area:" + $0.cell }
        let gateways = (s["gateways"]?.array ?? []).map { "gateway:" + $0.cell }
        let all = areas + gateways
        return all.isEmpty ? "-" : all.joined(separator: ",")
    }

    static func when(_ s: JSONValue) -> String {
        let at = s["at"]?.cell ?? "?"
        switch s["recurrence"]?.string {
        case "daily": return "daily \(at)"
        case "weekly": return "weekly \((s["days"]?.array ?? []).map(\.cell).joined(separator: ",")) \(at)"
        default: return "once \(at)"
        }
    }

    static func programs(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "AREA", "NAME", "WHEN", "ITEMS", "LENGTH", "PLANNED", "NEXT" + zoneLabel)
        for p in items {
            let next = p["nextOccurrences"]?.array?.first
            table.add(p["id"]?.cell ?? "-", p["areaId"]?.cell ?? "-", p["name"]?.cell ?? "-", when(p), "\(p["items"]?.array?.count ?? 0)",
                      duration(p["lengthMs"]), p["plannedSeconds"]?.int.map { duration(.number(Double($0 * 1000))) } ?? "-", local(next))
        }
        return table.render(empty: "no programs")
    }

    static func program(_ p: JSONValue) -> String {
        var lines = ["program \(p["id"]?.cell ?? "-"): \(p["name"]?.cell ?? "-") for \(p["areaId"]?.cell ?? "-"), \(when(p)); "
            + "length \(duration(p["lengthMs"]))" + (p["plannedSeconds"]?.int.map { " of \(duration(.number(Double($0 * 1000)))) planned (\(p["overrun"]?.cell ?? "-"))" } ?? "")]
        var table = TextTable("#", "AT", "KIND", "LENGTH", "TITLE", "BULLETIN", "NOTE")
        for item in p["items"]?.array ?? [] {
            var title = item["type"]?.string == "pause" ? "(\(item["seconds"]?.cell ?? "?") s of silence)" : item["title"]?.cell ?? "-"
            if let url = item["url"]?.string { title += " ← \(url)" }
            let bulletin = item["bulletin"]?.string ?? item["fallbackBulletin"]?.string.map { "fallback " + $0 } ?? "-"
            table.add(item["position"]?.cell ?? "-", "+" + duration(item["offsetMs"]), item["type"]?.cell ?? "-", duration(item["durationMs"]),
                      title, String(bulletin.prefix(bulletin.hasPrefix("fallback") ? 21 : 12)),
                      item["plays"]?.bool == false ? (item["note"]?.cell ?? "left out") : "")
        }
        lines.append(table.render(empty: "no items"))
        let next = (p["nextOccurrences"]?.array ?? []).map { local($0) }
        lines.append("next" + zoneLabel + ": " + (next.isEmpty ? "none" : next.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    static func dispatches(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "SENT" + zoneLabel, "CLASS", "BY", "TITLE", "COMMUNES", "PLACED", "DECLINED", "WAITING")
        for d in items {
            let states = (d["targets"]?.array ?? []).compactMap { $0["state"]?.string }
            table.add(d["id"]?.cell ?? "-", local(d["createdAt"]), d["class"]?.cell ?? "-", d["sender"]?.cell ?? "-", d["title"]?.cell ?? "-",
                      "\(states.count)", "\(states.filter { $0 == "placed" }.count)", "\(states.filter { $0 == "declined" }.count)",
                      "\(states.filter { $0 == "waiting" }.count)")
        }
        return table.render(empty: "nothing sent down")
    }

    static func dispatch(_ d: JSONValue) -> String {
        var lines = ["dispatch \(d["id"]?.cell ?? "-"): \(d["class"]?.cell ?? "-") '\(d["title"]?.cell ?? "-")' from \(d["sender"]?.cell ?? "-") (\(d["senderLevel"]?.cell ?? "-")), sent \(local(d["createdAt"]))" + zoneLabel]
        var table = TextTable("ITEM", "COMMUNE", "STATE", "PROGRAM", "DAY", "POSITION", "REASON", "PLAYED")
        for t in d["targets"]?.array ?? [] {
            let plays = (t["plays"]?.array ?? []).filter { $0["kind"]?.string == "finished" }.map { ($0["gatewayId"]?.cell ?? "?") + " " + local($0["at"]) }
            table.add(t["id"]?.cell ?? "-", t["areaId"]?.cell ?? "-", t["state"]?.cell ?? "-", t["program"]?.isNull == false ? t["program"]!.cell : "-",
                      t["date"]?.isNull == false ? t["date"]!.cell : "-", t["position"]?.isNull == false ? t["position"]!.cell : "-",
                      t["reason"]?.isNull == false ? t["reason"]!.cell : "", plays.isEmpty ? "-" : plays.joined(separator: "; "))
        }
        lines.append(table.render(empty: "no commune"))
        return lines.joined(separator: "\n")
    }

    static func inbox(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "SENT" + zoneLabel, "COMMUNE", "CLASS", "FROM", "TITLE", "STATE", "NOTE")
        for i in items {
            table.add(i["id"]?.cell ?? "-", local(i["sentAt"]), i["areaId"]?.cell ?? "-", i["class"]?.cell ?? "-",
                      (i["sender"]?.cell ?? "-") + " (" + (i["senderLevel"]?.cell ?? "-") + ")", i["title"]?.cell ?? "-", i["state"]?.cell ?? "-",
                      i["note"]?.isNull == false ? i["note"]!.cell : "")
        }
        return table.render(empty: "the inbox is empty")
    }

    /// Per commune: broadcasts and their minutes by class and origin, programs run / due, plays
    /// missed, time online; then the total.
    static func periodReport(_ r: JSONValue) -> String {
        func tally(_ t: JSONValue?) -> String { "\(t?["count"]?.cell ?? "0") / \(t?["minutes"]?.cell ?? "0") min" }
        var table = TextTable("COMMUNE", "BROADCASTS", "OWN", "NORMAL", "PRIORITY", "EMERGENCY", "DISTRICT", "PROVINCE", "CENTRE", "RELAY",
                              "PROGRAMS", "MISSED", "ONLINE")
        func row(_ name: String, _ c: JSONValue, online: Double, observed: Double) {
            let programs = c["programs"]
            table.add(name, tally(c["broadcasts"]), tally(c["byClass"]?["own"]), tally(c["byClass"]?["normal"]), tally(c["byClass"]?["priority"]),
                      tally(c["byClass"]?["emergency"]), tally(c["byOrigin"]?["district"]), tally(c["byOrigin"]?["province"]),
                      tally(c["byOrigin"]?["centre"]), tally(c["byOrigin"]?["relay"]),
                      "\(programs?["run"]?.cell ?? "0")/\(programs?["planned"]?.cell ?? "0")", c["missed"]?.cell ?? "0",
                      observed > 0 ? String(format: "%.1f%%", 100 * online / observed) : "-")
        }
        for c in r["communes"]?.array ?? [] {
            let gateways = c["gateways"]?.array ?? []
            row(c["name"]?.cell ?? "-", c, online: gateways.compactMap { $0["onlineSeconds"]?.number }.reduce(0, +),
                observed: gateways.compactMap { $0["observedSeconds"]?.number }.reduce(0, +))
        }
        if let totals = r["totals"] {
            row("total", totals, online: totals["onlineSeconds"]?.number ?? 0, observed: totals["observedSeconds"]?.number ?? 0)
        }
        let head = "\(r["area"]?["name"]?.cell ?? "-") \(r["from"]?.cell ?? "-") … \(r["to"]?.cell ?? "-") (\(r["timeZone"]?.cell ?? "-")); "
            + "count / minutes, programs run/due, plays missed, time online\n"
        return head + table.render()
    }

    static func inboxItem(_ i: JSONValue) -> String {
        var text = "inbox item \(i["id"]?.cell ?? "-"): \(i["class"]?.cell ?? "-") '\(i["title"]?.cell ?? "-")' for \(i["areaId"]?.cell ?? "-") from \(i["sender"]?.cell ?? "-"); \(i["state"]?.cell ?? "-")"
        if i["program"]?.isNull == false { text += " in program \(i["program"]!.cell) on \(i["date"]?.cell ?? "-") at position \(i["position"]?.cell ?? "-")" }
        if i["reason"]?.isNull == false { text += " (\(i["reason"]!.cell))" }
        return text
    }

    static func relaySchedules(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "AREA", "TITLE", "WHEN", "FOR", "NEXT" + zoneLabel, "FALLBACK", "UPSTREAM")
        for s in items {
            table.add(s["id"]?.cell ?? "-", s["areaId"]?.cell ?? "-", s["title"]?.cell ?? "-", when(s), "\(s["durationSeconds"]?.cell ?? "-") s",
                      local(s["nextWindow"]), String((s["fallbackBulletin"]?.cell ?? "-").prefix(12)), s["relayUrl"]?.cell ?? "-")
        }
        return table.render(empty: "no scheduled relays")
    }

    static func relaySchedule(_ s: JSONValue) -> String {
        "relay schedule \(s["id"]?.cell ?? "-"): \(s["title"]?.cell ?? "-") to \(s["areaId"]?.cell ?? "-"), \(when(s)) for \(s["durationSeconds"]?.cell ?? "-") s;"
            + " next window " + (s["nextWindow"]?.string == nil ? "none" : local(s["nextWindow"]) + zoneLabel)
    }

    static func preview(_ items: [JSONValue]) -> String {
        var table = TextTable("START" + zoneLabel, "GATEWAY", "DURATION", "PRIORITY", "ITEM", "TITLE")
        for p in items {
            table.add(local(p["startAt"]), p["gatewayId"]?.cell ?? "-", duration(p["durationMs"]), p["priority"]?.cell ?? "-",
                      p["itemId"]?.cell ?? "-", p["title"]?.cell ?? String((p["bulletin"]?.cell ?? "-").prefix(12)))
        }
        return table.render(empty: "nothing plays in that range")
    }

    static func playLog(_ items: [JSONValue]) -> String {
        var table = TextTable("AT" + zoneLabel, "GATEWAY", "KIND", "POSITION", "BULLETIN", "ITEM", "DETAIL", "EVENT")
        for e in items {
            table.add(local(e["at"]), e["gatewayId"]?.cell ?? "-", e["kind"]?.cell ?? "-", duration(e["positionMs"]),
                      String((e["bulletin"]?.cell ?? "-").prefix(12)), e["itemId"]?.cell ?? "-", e["detail"]?.cell ?? "-",
                      e["eventId"]?.cell ?? "-")
        }
        return table.render(empty: "no plays")
    }

    static func playOutcomes(_ items: [JSONValue]) -> String {
        var table = TextTable("FIRST" + zoneLabel, "LAST", "GATEWAY", "OUTCOME", "POSITION", "EVENTS", "ITEM", "DETAIL", "BY")
        for o in items {
            table.add(local(o["firstAt"]), local(o["lastAt"]), o["gatewayId"]?.cell ?? "-", o["outcome"]?.cell ?? "-",
                      duration(o["positionMs"]), o["events"]?.cell ?? "-", o["itemId"]?.cell ?? "-", o["detail"]?.cell ?? "-",
                      o["origin"]?.cell ?? "-")
        }
        return table.render(empty: "no plays")
    }

    static func users(_ items: [JSONValue]) -> String {
        var table = TextTable("USER", "ROLE", "AREA", "CREATED" + zoneLabel)
        for u in items {
            table.add(u["username"]?.cell ?? "-", u["role"]?.cell ?? "-", u["areaId"].map { $0.isNull ? "(all)" : $0.cell } ?? "-",
                      local(u["createdAt"]))
        }
        return table.render(empty: "no users")
    }

    static func user(_ u: JSONValue) -> String {
        "user \(u["username"]?.cell ?? "-"): \(u["role"]?.cell ?? "-")" + (u["areaId"].map { $0.isNull ? ", all areas" : ", area \($0.cell)" } ?? "")
            + (u["disabled"] == .bool(true) ? ", disabled" : "")
    }

    static func audit(_ items: [JSONValue]) -> String {
        var table = TextTable("SEQ", "AT" + zoneLabel, "ACTOR", "ACTION", "TARGET", "ADDRESS", "DETAILS")
        for a in items {
            let details = a["details"].map { $0 == .object([:]) ? "-" : $0.serialized(pretty: false) } ?? "-"
            table.add(a["sequence"]?.cell ?? "-", local(a["at"]), a["actor"]?.cell ?? "-", a["action"]?.cell ?? "-",
                      a["target"]?.cell ?? "-", a["address"]?.cell ?? "-", details)
        }
        return table.render(empty: "no audit entries")
    }

    static func areas(_ items: [JSONValue]) -> String {
        // Parents come first; indent each area under its parent so the tree shows.
        var depth: [String: Int] = [:]
        var table = TextTable("ID", "KIND", "NAME", "PARENT")
        for a in items {
            let id = a["id"]?.cell ?? "-"
            let level = a["parentId"]?.string.flatMap { depth[$0] }.map { $0 + 1 } ?? 0
            depth[id] = level
            table.add(String(repeating: "  ", count: level) + id, a["kind"]?.cell ?? "-", a["name"]?.cell ?? "-", a["parentId"]?.cell ?? "-")
        }
        return table.render(empty: "no areas")
    }

    static func announcement(_ a: JSONValue) -> String {
        fields(a, ["id", "bulletin", "areas", "gateways", "priority", "startAt", "expiresAt", "createdBy", "stoppedAt", "stoppedBy"])
    }

    static func announcements(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "BULLETIN", "TARGETS", "PRIORITY", "START" + zoneLabel, "EXPIRES", "STOPPED")
        for a in items {
            table.add(a["id"]?.cell ?? "-", String((a["bulletin"]?.cell ?? "-").prefix(12)), targets(a), a["priority"]?.cell ?? "-",
                      local(a["startAt"]), local(a["expiresAt"]), local(a["stoppedAt"]))
        }
        return table.render(empty: "no announcements")
    }

    static func liveStreams(_ items: [JSONValue]) -> String {
        var table = TextTable("ID", "STATE", "AREA", "TITLE", "PRIORITY", "GATEWAYS", "BYTES", "STARTED" + zoneLabel, "ENDED", "REASON")
        for s in items {
            table.add(s["id"]?.cell ?? "-", s["state"]?.cell ?? "-", s["areaId"]?.cell ?? "-", s["title"]?.cell ?? "-",
                      s["priority"]?.cell ?? "-", s["gateways"]?.cell ?? "-", s["bytesReceived"]?.cell ?? "-",
                      local(s["startedAt"]), local(s["endedAt"]), s["endReason"]?.cell ?? "-")
        }
        return table.render(empty: "no live streams")
    }

    /// A command's answer: `ok` or the gateway's message, then its output (logs) if any.
    static func commandResult(_ r: JSONValue) -> String {
        guard let ok = r["ok"]?.bool else {
            return "command \(r["commandId"]?.cell ?? "-") sent; the gateway has not answered yet"
        }
        var text = "command \(r["commandId"]?.cell ?? "-"): \(ok ? "ok" : "refused")"
        if let message = r["message"]?.string, !message.isEmpty { text += ": \(message)" }
        if let output = r["output"]?.string, !output.isEmpty { text += "\n" + output }
        return text
    }

    /// `key  value` lines for the named fields that are present.
    static func fields(_ value: JSONValue, _ keys: [String]) -> String {
        keys.compactMap { key in value[key].map { key.padding(16) + $0.cell } }.joined(separator: "\n")
    }

    /// Milliseconds as m:ss (h:mm:ss past an hour).
    static func duration(_ value: JSONValue?) -> String {
        guard let ms = value?.number else { return "-" }
        let total = Int((ms / 1000).rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: Swift.max(1, width - count)) }
    fileprivate init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
