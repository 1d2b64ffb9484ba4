import ArgumentParser
import Foundation

/// `loactl live start|send|list|stop`: live broadcasts through the controller.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live", abstract: "Live broadcasts: open a stream for an area, push MP3 to it, list, stop.",
        discussion: """
            Example: loactl live start --area xa-tan-lap --title "Họp dân" ; loactl live send 7 hop-dan.mp3 --key KEY
            Any MP3 encoder can be the source too: ffmpeg -re -i in.wav -c:a libmp3lame -b:a 64k -f mp3 -method PUT http://source:KEY@HOST:8080/api/v1/live/7/source
            A relay ("tiếp sóng") pulls an upstream instead: loactl live start --area huyen-cam-xuyen --title "VOV1" --relay https://…/vov1.m3u8
            The controller's microphone: loactl live start --area xa-tan-lap --title "Thông báo" --device default
            """,
        subcommands: [LiveStartCommand.self, LiveSendCommand.self, LiveListCommand.self, LiveStopCommand.self])
}

struct LiveStartCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Open a live stream; prints its id, source URL and key.")
    @OptionGroup var api: APIOptions
    @Option(help: "The area (and everything below it) that hears the stream.") var area: String
    @Option(help: "What the stream is, for the list and the log.") var title: String
    @Option(help: "Priority 150–255 (default 170; 200 and above is an emergency).") var priority: Int?
    @Option(help: "Relay this upstream (an http(s) Icecast/Shoutcast stream, HLS playlist or audio URL) instead of waiting for a source.")
    var relay: String?
    @Option(help: "Go live from the controller's microphone: an ALSA capture PCM named in its live.capture_devices.")
    var device: String?

    func run(_ client: APIClient) async throws {
        let stream = try await client.json(try APIRoutes.startLive(area: area, title: title, priority: priority, relay: relay, device: device))
        let id = stream["id"]?.cell ?? "-"
        let listen = stream["listenPath"]?.string.map { LiveSourceURL.plain(base: client.connection.controller, path: $0) } ?? "-"
        if let relay {
            return api.output(stream) { _ in "live stream \(id) for \(area): relaying \(relay); it goes on air at the upstream's first audio (loactl live list)\nlisten: \(listen)" }
        }
        if let device {
            return api.output(stream) { _ in "live stream \(id) for \(area): on air from the controller's microphone '\(device)' (stop: loactl live stop \(id))\nlisten: \(listen)" }
        }
        let key = stream["sourceKey"]?.string ?? ""
        let url = LiveSourceURL.withKey(base: client.connection.controller, path: stream["sourcePath"]?.string ?? "", key: key)
        api.output(stream) { _ in
            """
            live stream \(id) for \(area), waiting for its source
            key:    \(key)   (shown only now)
            send:   loactl live send \(id) FILE.mp3 --key \(key)
            ffmpeg: ffmpeg -re -i IN -c:a libmp3lame -b:a 64k -f mp3 -method PUT \(url)
            icecast encoders (butt, darkice, Mixxx): mount /live/\(id), password \(key), on the controller's live.icecast_listen port
            listen: \(listen)
            """
        }
    }
}

struct LiveSendCommand: APICommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Be a stream's source: push an MP3 file (or stdin) in real time.",
        discussion: "The file is paced by its frames' durations, as an encoder would send it. Without --key the session's token is used.")
    @OptionGroup var api: APIOptions
    @Argument(help: "Live stream id.") var id: Int64
    @Argument(help: "An MP3 file, or - for standard input.") var file: String
    @Option(help: "The stream's source key (from 'live start'); default: your login token.") var key: String?

    func run() async throws {
        try await reportingAPIFailures { try await run(try api.client(needsToken: key == nil)) }
    }

    func run(_ client: APIClient) async throws {
        let input: FileHandle
        if file == "-" {
            input = .standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw APIFailure.file("cannot read '\(file)'", status: 66)
            }
            input = handle
        }
        let authorization: String
        if let key {
            authorization = "Basic " + Data("source:\(key)".utf8).base64EncodedString()
        } else if let token = client.connection.token {
            authorization = "Bearer \(token)"
        } else {
            throw APIFailure.notLoggedIn("give the stream's --key or log in first")
        }
        let sender = try LiveSender(controller: client.connection.controller, path: APIRoutes.prefix + "/live/\(id)/source",
                                    authorization: authorization)
        let progress: @Sendable (String) -> Void = { line in
            if !api.json { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
        let answer = try await sender.send(reading: input, progress: progress)
        guard (200..<300).contains(answer.status) else { throw APIFailure.from(answer) }
        if let json = answer.json {
            api.output(json) { "live stream \($0["id"]?.cell ?? "\(id)") \($0["state"]?.cell ?? "-"): \($0["endReason"]?.cell ?? "-"), \($0["bytesReceived"]?.cell ?? "-") bytes" }
        }
    }
}

struct LiveListCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Live streams: open ones and the last 50 ended.")
    @OptionGroup var api: APIOptions
    func run(_ client: APIClient) async throws {
        api.output(list: try await client.list(APIRoutes.liveStreams, limit: 1000, all: false), APITables.liveStreams)
    }
}

struct LiveStopCommand: APICommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a live stream: gateways end it, the source is disconnected.")
    @OptionGroup var api: APIOptions
    @Argument(help: "Live stream id.") var id: Int64
    func run(_ client: APIClient) async throws {
        _ = try await client.send(APIRoutes.stopLive(id))
        if !api.json { print("live stream \(id) stopped") }
    }
}

/// The source URL with the key as Basic password, for encoders that take credentials in the URL.
enum LiveSourceURL {
    /// The controller's address and `path` (which may carry a query).
    static func plain(base: URL, path: String) -> String {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text + path
    }

    static func withKey(base: URL, path: String, key: String) -> String {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        guard var components = URLComponents(string: text + path) else { return text + path }
        components.user = "source"
        components.password = key
        return components.string ?? text + path
    }
}
