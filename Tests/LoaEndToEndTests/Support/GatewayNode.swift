import Foundation

/// A real `loa-gateway` whose loudspeaker is a `PacedSink`: ALSA `type file` PCM into a FIFO
/// read at 24 kHz mono S16 real time. Killable and restartable on the same state directory.
final class GatewayNode: @unchecked Sendable {
    let id: String
    let scratch: Scratch
    let secretPath: String
    let configPath: String
    let sink: PacedSink
    private(set) var process: ChildProcess?
    /// Extra environment for the next start (e.g. libfaketime to step its system clock).
    var environment: [String: String] = [:]
    private var starts = 0

    /// `speed`: how many times real time the loudspeaker consumes audio (long bulletins in short tests).
    init(_ id: String, scratch: Scratch, controllerPort: Int, speed: Int = 1) throws {
        self.id = id
        self.scratch = scratch
        secretPath = scratch.file("\(id).secret")
        sink = try PacedSink(path: scratch.file("\(id).fifo"), bytesPerSecond: 48_000 * speed)
        let alsa = "pcm.loafile { type file slave { pcm { type null } } file \"\(sink.path)\" format \"raw\" }"
        configPath = try scratch.write("""
            [gateway]
            id = "\(id)"
            secret_file = "\(secretPath)"
            state_directory = "\(scratch.file("\(id)-state"))"
            log_level = "debug"
            [controller]
            hosts = ["127.0.0.1:\(controllerPort)"]
            reconnect_base_ms = 200
            reconnect_cap_seconds = 2
            [audio]
            pcm = "loafile"
            alsa_config = '''\(alsa)'''
            [amplifier]
            mode = "none"
            pre_roll_ms = 0
            idle_off_seconds = 600
            [health]
            interval_seconds = 10
            """, to: "\(id).toml")
    }

    func start() throws {
        starts += 1
        process = try ChildProcess(Built.path("loa-gateway"), ["--config", configPath], environment: environment,
                                   stdout: scratch.file("\(id)-\(starts).out"), stderr: scratch.file("\(id)-\(starts).log"))
    }

    func kill9() async { await process?.stop(SIGKILL, seconds: 10) }
    func stop() async { await process?.stop(SIGTERM, seconds: 20) }

    /// Every log this gateway wrote (all starts).
    var log: String {
        (1...max(1, starts)).map { (try? String(contentsOfFile: scratch.file("\(id)-\($0).log"), encoding: .utf8)) ?? "" }
            .joined(separator: "\n--- restart ---\n")
    }

    /// The partial download of `sha256`, if one is in progress (bytes so far).
    func partialBytes(_ sha256: String) -> Int? {
        let path = scratch.file("\(id)-state") + "/partial/\(sha256).part"
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    func isCached(_ sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: scratch.file("\(id)-state") + "/cache/\(sha256)")
    }
}
