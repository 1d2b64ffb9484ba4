import Foundation
import LoaAudio

/// One whole Loa on loopback: a controller, gateways in communes of one province, and loactl
/// logged in as admin. Every scenario builds its own (own ports, own directories), so
/// scenarios run in parallel.
final class LoaSystem: @unchecked Sendable {
    let scratch: Scratch
    let controller: ControllerNode
    let loactl: Loactl
    private(set) var gateways: [String: GatewayNode] = [:]
    /// Loudspeakers consume audio this many times faster than real time.
    var sinkSpeed = 1

    /// `communes`: commune id → gateway ids in it. The areas are created under one province.
    init(_ name: String, chunkBytes: Int = 32_768, controllerConfig: String = "") throws {
        scratch = try Scratch(name)
        controller = try ControllerNode(scratch, chunkBytes: chunkBytes, extra: controllerConfig)
        loactl = Loactl(scratch: scratch, controller: controller.url)
    }

    /// Starts the controller, logs in, creates the areas and enrols and starts the gateways.
    /// `viaPorts`: gateway id → the port it dials instead of the controller's (a proxy the
    /// scenario can cut).
    func start(communes: [(String, [String])], startGateways: Bool = true, viaPorts: [String: Int] = [:]) async throws {
        try await controller.start()
        try await loactl.ok("login", "--user", "admin", "--password-stdin", stdin: ControllerNode.adminPassword + "\n")
        try await loactl.ok("areas", "add", "tinh-e2e", "--kind", "province", "--name", "Tỉnh Thử Nghiệm")
        for (commune, ids) in communes {
            try await loactl.ok("areas", "add", commune, "--kind", "commune", "--parent", "tinh-e2e")
            for id in ids {
                let node = try GatewayNode(id, scratch: scratch, controllerPort: viaPorts[id] ?? controller.gatewayPort, speed: sinkSpeed)
                try await loactl.ok("gateways", "add", id, "--area", commune, "--secret-file", node.secretPath)
                gateways[id] = node
                if startGateways { try node.start() }
            }
        }
    }

    subscript(id: String) -> GatewayNode { gateways[id]! }

    /// Waits until every named gateway shows online in `loactl gateways`.
    func waitOnline(_ ids: [String], seconds: Double = 90) async throws {
        let online = await eventually(seconds, every: .milliseconds(300)) {
            let list = (try? await self.gatewayStatus()) ?? [:]
            return ids.allSatisfy { list[$0]?["online"] as? Bool == true }
        }
        guard online else {
            throw HarnessError("gateways \(ids) not online in \(Int(seconds)) s; logs:\n"
                               + ids.map { "\($0):\n\(gateways[$0]?.log.suffix(2000) ?? "")" }.joined(separator: "\n"))
        }
    }

    /// `loactl gateways --json`, by id.
    func gatewayStatus() async throws -> [String: [String: Any]] {
        let items = try await loactl.json("gateways") as? [[String: Any]] ?? []
        return Dictionary(items.compactMap { item in (item["id"] as? String).map { ($0, item) } }) { a, _ in a }
    }

    /// A tone of `seconds` at `frequency` as a 24 kHz mono WAV, uploaded and approved; its SHA-256.
    func bulletin(_ title: String, seconds: Double, frequency: Double) async throws -> String {
        let rate = 24_000
        let samples = (0..<Int(seconds * Double(rate))).map { i -> Float in
            // A rising tone (+20 Hz per second, so no stretch repeats: a window of what was
            // played tells where in the bulletin it came from) with a little tremolo, so the
            // loudness normaliser sees variation, not a flat line.
            let t = Double(i) / Double(rate)
            return Float(0.3 * sin(2 * .pi * (frequency * t + 10 * t * t)) * (0.75 + 0.25 * sin(2 * .pi * 3 * t)))
        }
        let wav = WAVFile(audio: PCMBuffer(format: AudioFormat(sampleRate: rate, channels: 1), samples: samples)).encoded()
        let path = scratch.file("\(title).wav")
        try Data(wav).write(to: URL(fileURLWithPath: path))
        let run = try await loactl.ok("bulletins", "upload", path, "--title", title, "--approve")
        let sha = String(run.stdout.prefix(64))
        guard sha.count == 64, run.stdout.contains(" approved ") else { throw HarnessError("upload: \(run)") }
        return sha
    }

    /// The PCM a gateway must play for `sha256`: the MP3 the controller serves, decoded by
    /// Loa's own decoder (libmpg123).
    func decoded(_ sha256: String) async throws -> [Int16] {
        let path = scratch.file("\(sha256.prefix(12)).mp3")
        try await loactl.ok("bulletins", "download", sha256, "-o", path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        return try MP3Decoder.decodeAll(bytes).int16Samples()
    }

    /// Schedules `sha256` once, `seconds` from now (computed now, just before it is needed).
    @discardableResult
    func schedule(_ sha256: String, areas: [String] = [], gateways: [String] = [], inSeconds seconds: Int,
                  extra: [String] = []) async throws -> (id: String, at: Date) {
        var arguments = ["schedule", "add", "--bulletin", sha256, "--in", String(seconds), "--json"] + extra
        for area in areas { arguments += ["--area", area] }
        for gateway in gateways { arguments += ["--gateway", gateway] }
        let run = try await loactl.run(arguments)
        guard run.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
              let id = object["id"].map({ "\($0)" }) else { throw HarnessError("\(run)") }
        // --in keeps whole seconds of loactl's local time; the saved entry says which second it
        // became (its first day and HH:MM:SS in Asia/Ho_Chi_Minh, UTC+7 all year). Read it from
        // there: loactl's own start may take more than a second on a loaded machine, so the
        // instant cannot be told from the test's clock around the call.
        guard let day = object["from"] as? String, let time = object["at"] as? String,
              let at = Self.vietnamFormatter.date(from: "\(day) \(time)") else { throw HarnessError("no from/at in \(run.stdout)") }
        return (id, at)
    }

    private nonisolated(unsafe) static let vietnamFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }()

    /// Every as-played event the controller holds (`loactl log --all --json`), oldest first.
    func playLog(gateway: String? = nil) async throws -> [PlayRecord] {
        var arguments = ["log", "--all"]
        if let gateway { arguments += ["--gateway", gateway] }
        let items = try await loactl.json(arguments) as? [[String: Any]] ?? []
        return items.compactMap(PlayRecord.init).sorted { ($0.at, $0.eventId) < ($1.at, $1.eventId) }
    }

    /// Stops every process; the scratch directory stays when `keep` (a failed scenario).
    func shutdown(keep: Bool) async {
        for node in gateways.values {
            await node.stop()
            node.sink.close()
        }
        await controller.stop()
        if !keep { scratch.remove() }
    }
}

/// One play-log entry as the API gives it.
struct PlayRecord: Sendable, Equatable, CustomStringConvertible {
    var eventId: String
    var gatewayId: String
    var itemId: String
    var bulletin: String?
    var kind: String
    var at: String
    var positionMs: Int
    /// The program and place the play was (`program-<id>.<position>` items), from the API.
    var program: Int?
    var programPosition: Int?

    init?(_ json: [String: Any]) {
        guard let eventId = json["eventId"].map({ "\($0)" }), let gatewayId = json["gatewayId"] as? String,
              let itemId = json["itemId"] as? String, let kind = json["kind"] as? String, let at = json["at"] as? String else { return nil }
        self.eventId = eventId
        self.gatewayId = gatewayId
        self.itemId = itemId
        self.bulletin = json["bulletin"] as? String
        self.kind = kind
        self.at = at
        self.positionMs = (json["positionMs"] as? NSNumber)?.intValue ?? 0
        self.program = (json["program"] as? NSNumber)?.intValue
        self.programPosition = (json["programPosition"] as? NSNumber)?.intValue
    }

    var date: Date? { ISO8601DateFormatter.withMilliseconds.date(from: at) }

    var description: String { "\(at) \(gatewayId) \(kind) \(itemId) @\(positionMs)ms" }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withMilliseconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
