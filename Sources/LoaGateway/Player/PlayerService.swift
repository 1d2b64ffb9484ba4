#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaProtocol
import LoaSchedule
import Logging

/// The gateway's player as the rest of the daemon sees it: inputs go in through `post(_:)`,
/// the status comes out, and one thread — started by `start()` — owns the `PlayerLoop` that
/// decides (`PlayoutPlanner`) and performs (amplifier, render threads, as-played log), then
/// sleeps until the next wake-up or input. It never waits on the link. The only state shared
/// between threads is the `PlayerMailbox`.
public final class PlayerService: @unchecked Sendable {
    /// What the rest of the daemon tells the player.
    public enum Input: Sendable {
        case schedule(GatewaySchedule?)
        case announce(PlayItem)
        /// A technician's tone (`playTestTone`): planned like an announcement, never logged as played.
        case testTone(PlayItem, TestTone)
        case stop(itemId: String)
        case rendered(itemId: String, BulletinRenderer.Outcome)
        /// A live stream begins (idempotent), brings audio, or ends (see `PlayerLoop+Live`).
        case liveStart(LiveStart)
        case liveAudio(LiveAudio)
        case liveEnd(LiveEnd)
        /// The live renderer of `itemId` found nothing to play and writes silence.
        case liveQuiet(itemId: String)
        case shutdown
    }

    /// What the health report shows.
    public struct Status: Sendable, Equatable {
        public var nowPlaying: String?
        public var amplifierOn = false
        public var lastErrors: [String] = []
        /// The current live stream's reception, or the last one's.
        public var liveReception: LiveReception?
        /// When the player next acts on its own (a start, an end), in controller time.
        public var nextWake: Date?
        /// Live streams announced and not yet played out.
        public var liveStreams = 0

        /// Whether the clock matters now: something plays, a live stream is on its way, or the
        /// next start is within `lead` — the link then exchanges clock samples often.
        public func wantsClockSync(now: Date, lead: TimeInterval = 300) -> Bool {
            nowPlaying != nil || liveStreams > 0 || nextWake.map { $0.timeIntervalSince(now) <= lead } == true
        }
    }

    /// A technician's test tone: above every scheduled bulletin, below a default announcement,
    /// so an operator's announcement, live speech or an emergency still cut it.
    public static let testTonePriority = Priority(rawValue: 110)

    /// How far ahead of an item's instant its render thread starts (file read, decoder, ALSA
    /// open); the renderer then holds the first sample until the instant. The planner runs
    /// this much ahead of the clock, so amplifier, start and log times keep their meaning.
    public static let defaultStartLead: TimeInterval = 0.25

    public let clock: GatewayClock
    /// Where the sound card is against the controller's time line (rate correction), for health.
    public let timeline: TimelineStatus
    public var startLead: TimeInterval { loop.startLead }
    private let mailbox = PlayerMailbox()
    /// Touched only by the player thread, or by `turn()` before that thread exists.
    private let loop: PlayerLoop
    /// Fired by the player thread as it ends; `shutdown` awaits it without blocking.
    private let exited = OneShotEvent()

    public init(configuration: PlayoutConfiguration, clock: GatewayClock, cache: ContentCache, output: any AudioOutput,
                amplifier: any AmplifierControl, log: PlayLog, logger: Logger, announcements: AnnouncementStore? = nil,
                window: TimeInterval = 3_600, startLead: TimeInterval = 0, alive: AliveMark? = nil,
                scheduleStoredAt: @escaping @Sendable () -> Date? = { nil }, timeline: TimelineStatus = TimelineStatus()) {
        self.clock = clock
        self.timeline = timeline
        self.loop = PlayerLoop(configuration: configuration, clock: clock, cache: cache, output: output, amplifier: amplifier,
                               log: log, logger: logger, mailbox: mailbox, announcements: announcements, window: window,
                               startLead: startLead, alive: alive, scheduleStoredAt: scheduleStoredAt, timeline: timeline)
    }

    public var status: Status { mailbox.status }

    /// Queues an input and wakes the player.
    public func post(_ input: Input) { mailbox.post(input) }

    /// Queues a test tone through the planner like any item (amplifier pre-roll, priority
    /// `testTonePriority`, preempts scheduled bulletins, dropped if interrupted itself). Its
    /// events go to the log and to the as-played record as `test-tone-…` (the controller keeps
    /// them out of its broadcast reports). Returns the item.
    @discardableResult
    public func playTestTone(_ tone: TestTone) -> PlayItem {
        let now = clock.now()
        let id = "test-tone-\(Int64(now.timeIntervalSince1970 * 1000))-\(mailbox.nextToneNumber())"
        let item = PlayItem(id: id, kind: .announcement, content: nil, priority: Self.testTonePriority, durationMs: tone.durationMs,
                            onBusy: .preempt, onInterrupt: .drop, due: now, expiresAt: now.addingTimeInterval(60))
        post(.testTone(item, tone))
        return item
    }

    /// Starts the player thread, which from now on owns the loop. A second call does nothing.
    public func start() {
        guard mailbox.claimThread() else { return }
        // Handed over, not shared: `turn()` refuses to step the loop once the thread is claimed.
        nonisolated(unsafe) let loop = self.loop
        PlatformThread.detach(name: "loa-player") { [mailbox, exited] in
            while loop.turn() {
                let until = min(loop.nextWake ?? .distantFuture, loop.planningNow().addingTimeInterval(1))
                mailbox.waitForInput(seconds: until.timeIntervalSince(loop.planningNow()))
            }
            exited.fire()
        }
    }

    /// Stops the player: the current item is cut and logged interrupted, the amplifier goes off.
    /// Returns false if the thread did not finish within `timeout`. Awaits without blocking a
    /// cooperative thread.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(1)) async -> Bool {
        post(.shutdown)
        return await exited.wait(timeout: timeout)
    }

    /// Whether the player thread has ended (after `.shutdown`).
    public var hasStopped: Bool { exited.hasFired }

    /// One turn by hand, for tests that pin the clock: only while no player thread owns the
    /// loop (a turn beside that thread would race it). Returns false after `.shutdown`.
    @discardableResult
    func turn() -> Bool {
        precondition(!mailbox.isThreadStarted, "PlayerService.turn() steps a player whose thread is not started")
        return loop.turn()
    }
}
