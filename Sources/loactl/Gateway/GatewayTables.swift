import Foundation
import LoaGateway

/// The gateway's answers as text a technician reads on a small terminal: key/value blocks and
/// aligned columns, sizes in KB/MB, instants in the schedule's local time.
enum GatewayTables {
    static func status(_ s: GatewayStatusReport?) -> String {
        guard let s else { return "(no status in the answer)\n" }
        let link = s.link.connected
            ? "connected to \(s.link.controller ?? "?")" + (s.link.rttMs.map { String(format: ", rtt %.1f ms", $0) } ?? "")
            : "offline (playing from the local schedule and cache)"
        var rows: [(String, String)] = [
            ("gateway", s.gatewayId),
            ("software", s.software),
            ("uptime", duration(s.uptimeSeconds)),
            ("link", link),
            ("clock offset", s.link.clockOffsetMs.map { String(format: "%+.1f ms", $0) } ?? "not measured yet"),
            ("schedule", s.scheduleVersion.map { "version \($0)" } ?? "none stored yet"),
            ("playing", s.nowPlaying ?? "nothing"),
            ("amplifier", s.amplifierOn ? "on" : "off"),
            ("audio output", s.output),
            ("volume", s.volume.map { "\($0.percent)% (\($0.kind)\($0.persisted ? ", stored" : ""))" } ?? "no volume control"),
            ("cache", "\(bytes(s.cacheUsedBytes)) of \(bytes(s.cacheQuotaBytes)) in \(s.cacheEntries) file(s)"),
            ("outbox", s.outboxPending < 0 ? "unreadable" : "\(s.outboxPending) record(s) waiting for the controller"),
        ]
        if let live = s.liveReception {
            rows.append(("live reception", "stream \(live.streamId): \(live.receivedPayloads) received, "
                + "\(live.lostPayloads) lost, \(live.latePayloads) late"))
        }
        if s.lastErrors.isEmpty {
            rows.append(("errors", "none"))
        } else {
            for (index, error) in s.lastErrors.enumerated() { rows.append((index == 0 ? "errors" : "", error)) }
        }
        return keyValues(rows)
    }

    static func schedule(_ listing: ScheduleListing?) -> String {
        guard let listing else { return "(no schedule in the answer)\n" }
        guard let version = listing.version else { return "No schedule stored yet: the gateway waits for the controller.\n" }
        var text = "Schedule version \(version), \(listing.timeZone ?? "?"), next \(listing.horizonDays) days\n"
        if let problem = listing.problem { return text + "Cannot expand it: \(problem)\n" }
        if listing.plays.isEmpty { return text + "No plays ahead.\n" }
        let rows = listing.plays.map { play in
            [play.localStart, clock(play.durationMs), "\(play.priority)", play.cached ? "yes" : "MISSING", play.title ?? "", play.itemId]
        }
        text += table(["START", "LENGTH", "PRIO", "CACHED", "TITLE", "ITEM"], rows)
        return text
    }

    static func cache(_ listing: CacheListing?) -> String {
        guard let listing else { return "(no cache listing in the answer)\n" }
        let percent = listing.quotaBytes > 0 ? Double(listing.usedBytes) * 100 / Double(listing.quotaBytes) : 0
        var text = "Cache: \(bytes(listing.usedBytes)) of \(bytes(listing.quotaBytes)) (\(String(format: "%.1f", percent))%), \(listing.entries.count) file(s)\n"
        if !listing.entries.isEmpty {
            let rows = listing.entries.map { entry in
                [String(entry.sha256.prefix(16)), bytes(entry.bytes), entry.needed ? "yes" : "no", instant(entry.lastUsed), entry.title ?? ""]
            }
            text += table(["SHA-256", "SIZE", "NEEDED", "LAST USED (UTC)", "TITLE"], rows)
        }
        text += listing.missing.isEmpty
            ? "Everything the schedule needs is cached.\n"
            : "Needed but not cached yet (fetched when the link is up):\n" + listing.missing.map { "  \($0)\n" }.joined()
        return text
    }

    static func volume(_ v: VolumeReport?) -> String {
        guard let v else { return "(no volume in the answer)\n" }
        return "Volume \(v.percent)% (\(v.kind) control)\(v.persisted ? ", stored for the next start" : "")\n"
    }

    static func testTone(_ t: TestToneReport?) -> String {
        guard let t else { return "(no test tone in the answer)\n" }
        return "Test tone \(t.frequencyHz) Hz for \(String(format: "%.1f", Double(t.durationMs) / 1000)) s queued as \(t.itemId) "
            + "(priority \(t.priority): after the amplifier pre-roll, unless something more urgent plays)\n"
    }

    // MARK: Formatting

    static func keyValues(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 + "\n" }.joined()
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    static func bytes(_ count: UInt64) -> String {
        if count >= 1 << 30 { return String(format: "%.1f GB", Double(count) / Double(1 << 30)) }
        if count >= 1 << 20 { return String(format: "%.1f MB", Double(count) / Double(1 << 20)) }
        if count >= 1 << 10 { return String(format: "%.1f KB", Double(count) / Double(1 << 10)) }
        return "\(count) B"
    }

    static func clock(_ ms: Int64) -> String {
        let seconds = ms / 1000
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    static func duration(_ seconds: Int) -> String {
        let d = seconds / 86_400, h = seconds % 86_400 / 3_600, m = seconds % 3_600 / 60, s = seconds % 60
        return d > 0 ? "\(d)d \(h)h \(m)m" : h > 0 ? "\(h)h \(m)m" : m > 0 ? "\(m)m \(s)s" : "\(s)s"
    }

    static func instant(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(ms) / 1000)
            .formatted(Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: TimeZone(identifier: "UTC")!))
            .replacingOccurrences(of: "Z", with: "")
    }
}
