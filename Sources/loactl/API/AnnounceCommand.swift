import ArgumentParser
import Foundation
import LoaSchedule

/// `loactl announce`: push a bulletin (or a file, uploaded first) to areas or gateways now.
struct AnnounceCommand: APICommand {
    static let configuration = CommandConfiguration(
        commandName: "announce", abstract: "Announce now: a bulletin, or a WAV/MP3 file (uploaded first), preempting lower priorities.",
        discussion: "Example: loactl announce --area huyen-demo --priority 230 khan-cap.wav (an emergency)")
    @OptionGroup var api: APIOptions
    @Argument(help: "A WAV/MP3 file, or a bulletin's SHA-256 (or unique prefix).") var source: String
    @Option(help: "Target area (and everything below it); repeatable.") var area: [String] = []
    @Option(help: "Target gateway; repeatable.") var gateway: [String] = []
    @Option(help: ArgumentHelp("Priority 0–255 (\(Priority.Band.announcementRule)).")) var priority = Int(Priority.announcement.rawValue)
    @Option(help: "Title when a file is uploaded (default: the file name).") var title: String?
    @Option(help: "Start later: RFC 3339 or +30s/+5m (default now).") var start: String?
    @Option(help: "Seconds after which it is no longer played.") var expires: Int?

    func run(_ client: APIClient) async throws {
        let now = Date()
        let startAt = try start.map { try TimeArgument.parse($0, now: now) }
        // Check the arguments before uploading anything.
        _ = try APIRoutes.announce(bulletin: String(repeating: "0", count: 64), areas: area, gateways: gateway, priority: priority,
                                   startAt: startAt, expiresInSeconds: expires)
        let sha: String
        if FileManager.default.fileExists(atPath: source) {
            var bulletin = try await upload(source, title: title, client)
            guard let uploaded = bulletin["sha256"]?.string else { throw APIFailure.badResponse("the upload came back without a sha256") }
            // Announcing is for admins and operators, who may approve; a fresh upload is a draft.
            if bulletin["state"]?.string == "draft" { bulletin = try await client.json(APIRoutes.approve(uploaded)) }
            if !api.json { FileHandle.standardError.write(Data("uploaded \(source) as \(BulletinsCommand.line(bulletin))\n".utf8)) }
            sha = uploaded
        } else {
            sha = try await resolveBulletin(source, client)
        }
        let announcement = try await client.json(try APIRoutes.announce(bulletin: sha, areas: area, gateways: gateway, priority: priority,
                                                                        startAt: startAt, expiresInSeconds: expires))
        api.output(announcement) { "announcement \($0["id"]?.cell ?? "-") of \(String(sha.prefix(12))) to \(APITables.targets($0)), priority \($0["priority"]?.cell ?? "-"), expires \($0["expiresAt"]?.cell ?? "-")" }
    }
}

/// `loactl announcements`: the announcements, active ones or all.
struct AnnouncementsCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "announcements", abstract: "List announcements.")
    @OptionGroup var api: APIOptions
    @Flag(help: "Only those still playing or due.") var active = false
    func run(_ client: APIClient) async throws {
        api.output(list: try await client.list(APIRoutes.announcements(activeOnly: active), limit: 1000, all: false), APITables.announcements)
    }
}

/// `loactl stop ID`: stop an announcement on every gateway.
struct StopCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop an announcement on every gateway it reached.")
    @OptionGroup var api: APIOptions
    @Argument(help: "Announcement id.") var id: String
    func run(_ client: APIClient) async throws {
        let announcement = try await client.json(APIRoutes.stop(id))
        api.output(announcement) { "announcement \($0["id"]?.cell ?? id) stopped at \($0["stoppedAt"]?.cell ?? "-")" }
    }
}
