import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Logging
@testable import LoaGateway

/// A short MP3 "bulletin" made in the test: a 440 Hz tone at the speech format.
struct TestBulletin: Sendable {
    let bytes: [UInt8]
    let address: ContentAddress
    /// Frames mpg123 decodes from `bytes` (gapless): what a full play writes.
    let decodedFrames: Int
    let durationMs: Int64

    static func make(seconds: Double) throws -> TestBulletin {
        let format = AudioFormat.speech
        let count = Int(seconds * Double(format.sampleRate))
        let samples = (0..<count).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / Double(format.sampleRate))) }
        let bytes = try MP3Encoder.encodeAll(PCMBuffer(format: format, samples: samples), settings: .speech)
        let decoded = try MP3Decoder.decodeAll(bytes)
        return TestBulletin(bytes: bytes, address: ContentAddress(of: bytes), decodedFrames: decoded.frameCount,
                            durationMs: Int64(decoded.frameCount) * 1000 / Int64(format.sampleRate))
    }

    /// Puts the bulletin into `cache` as a verified entry.
    func store(in cache: ContentCache) throws {
        guard case .download(let download) = try cache.beginDownload(address, expectedSize: UInt64(bytes.count), needed: []) else { return }
        _ = try download.append(bytes)
    }

    var content: Content { Content(sha256: address.hex, durationMs: durationMs, title: "Bản tin thử") }
}

/// Schedules with one-off entries at given instants, in the deployment's zone.
enum TestSchedule {
    static func make(version: UInt64, entries: [(id: String, at: Date, bulletin: TestBulletin)]) -> GatewaySchedule {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: GatewaySchedule.defaultTimeZone)!
        return GatewaySchedule(version: version, entries: entries.map { entry in
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: entry.at)
            return ScheduleEntry(id: entry.id, content: entry.bulletin.content,
                                 recurrence: .once(LocalDate(year: c.year!, month: c.month!, day: c.day!)),
                                 time: LocalTime(hour: c.hour!, minute: c.minute!, second: c.second!))
        })
    }
}

/// A player on a manual clock over a fresh local state with one bulletin cached, playing into
/// memory with a recording amplifier; stepped by hand.
struct PlayerBench {
    let directory: TemporaryDirectory
    let state: LocalState
    let bulletin: TestBulletin
    let clock: ManualClock
    let output = MemoryAudioOutput()
    let amplifier: RecordingAmplifier
    let player: PlayerService

    init(_ name: String, bulletinSeconds: Double, at start: Date, configuration: PlayoutConfiguration,
         startLead: TimeInterval = 0, gatewayClock: ((ManualClock) -> GatewayClock)? = nil) throws {
        directory = TemporaryDirectory(name)
        state = try LocalState(root: directory.path, logger: .quiet)
        bulletin = try TestBulletin.make(seconds: bulletinSeconds)
        try bulletin.store(in: state.cache)
        clock = ManualClock(start)
        amplifier = RecordingAmplifier(output: output, clock: clock)
        player = PlayerService(configuration: configuration, clock: gatewayClock?(clock) ?? GatewayClock(localNow: clock.function), cache: state.cache,
                               output: output, amplifier: amplifier, log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox),
                               logger: .quiet, startLead: startLead)
    }
}

/// Records each switch with how many output calls had happened by then.
final class RecordingAmplifier: AmplifierControl, @unchecked Sendable {
    struct Switch: Equatable { var on: Bool; var outputEventsBefore: Int; var at: Date }
    private let lock = NSLock()
    private var recorded: [Switch] = []
    private let output: MemoryAudioOutput
    private let clock: ManualClock

    init(output: MemoryAudioOutput, clock: ManualClock) {
        self.output = output
        self.clock = clock
    }

    var kind: String { "recording" }
    var switches: [Switch] { lock.withLock { recorded } }

    func set(on: Bool) throws(AmplifierError) {
        let entry = Switch(on: on, outputEventsBefore: output.events.count, at: clock.now)
        lock.withLock { recorded.append(entry) }
    }
}

extension Logger {
    static let quiet: Logger = {
        var logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        return logger
    }()
}

extension PlayerService {
    /// Turns the player by hand until `done` holds or 5 s of real time pass (render threads are real).
    func turn(until done: () -> Bool) {
        let deadline = Date().addingTimeInterval(5)
        repeat {
            turn()
            if done() { return }
            usleep(5_000)
        } while Date() < deadline
    }
}

extension LocalState {
    /// The as-played events waiting in the outbox, as the controller will get them.
    func loggedEvents() throws -> [LoaProtocol.PlayEvent] {
        try outbox.pending().map { try JSONDecoder().decode(LoaProtocol.PlayEvent.self, from: $0.payload) }
    }
}
