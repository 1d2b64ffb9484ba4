import Foundation
import LoaAudio
import LoaProtocol
import LoaSchedule
import Logging

/// The gateway's player: one thread that feeds the `PlayoutPlanner` (schedule, announcements,
/// stops, render results, time) and performs its actions — amplifier, sound on a
/// `BulletinRenderer` thread (a `LiveRenderer` for live streams), durable as-played log — then
/// sleeps until the next wake-up or input. It never waits on the link: inputs are queued by `post(_:)`.
public final class PlayerService: @unchecked Sendable {
    /// What the rest of the daemon tells the player.
    public enum Input: Sendable {
        case schedule(GatewaySchedule?)
        case announce(PlayItem)
        case stop(itemId: String)
        case rendered(itemId: String, BulletinRenderer.Outcome)
        /// A live stream begins (idempotent), brings audio, or ends (see `PlayerService+Live`).
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
    }

    /// A technician's test tone: above every scheduled bulletin, below a default announcement,
    /// so an operator's announcement, live speech or an emergency still cut it.
    public static let testTonePriority = Priority(rawValue: 110)

    public let clock: GatewayClock
    /// How far ahead of an item's instant its render thread starts (file read, decoder, ALSA
    /// open); the renderer then holds the first sample until the instant. The planner runs
    /// this much ahead of the clock, so amplifier, start and log times keep their meaning.
    public let startLead: TimeInterval
    public static let defaultStartLead: TimeInterval = 0.25
    private let cache: ContentCache
    let output: any AudioOutput
    private let amplifier: any AmplifierControl
    private let log: PlayLog
    var logger: Logger
    private let lock = NSLock()
    private var inbox: [Input] = []
    private var statusValue = Status()
    /// The live stream that started last, for `Status.liveReception`. Guarded by `lock`.
    private var latestLiveStream: ReceivedLiveStream?
    /// Test tones handed to the planner, by item id. Guarded by `lock`.
    private var tones: [String: TestTone] = [:]
    private var toneCount = 0
    private let wake = DispatchSemaphore(value: 0)
    /// Fired by the player thread as it ends; `shutdown` awaits it without blocking.
    private let exited = OneShotEvent()
    // Owned by the player thread (or by a test calling `turn()`).
    var planner: PlayoutPlanner
    private var renderer: BulletinRenderer?
    /// Live streams known by id (a `liveStart` received, its `liveEnd` not yet played out).
    var liveStreams: [UInt32: ReceivedLiveStream] = [:]
    var liveRenderer: LiveRenderer?
    /// Streams that ended (or were never started) and were already warned about.
    var endedStreams: Set<UInt32> = []
    var warnedStreams: Set<UInt32> = []
    /// Live items whose source is reported lost to the arbiter (in their grace, or waiting for it).
    var quietItems: Set<String> = []
    private var failedItems: Set<String> = []
    /// Announcements received and how far each got, on disk (nil: not kept, in some tests).
    let announcementStore: AnnouncementStore?
    var ledger = AnnouncementLedger()
    var ledgerLoaded = false
    private var nextWake: Date?
    private var running = true
    /// Where the previous run left its alive mark, read before this run writes its own.
    private let alive: AliveMark?
    private let previousAlive: Date?
    private var aliveWrittenAt: Date?
    private let scheduleStoredAt: @Sendable () -> Date?
    /// Whether the plays the previous run left open were closed, and the stored schedule's
    /// outage looked at (`RestartRecovery`).
    private var journalClosed = false
    private var scheduleRecovered = false

    public init(configuration: PlayoutConfiguration, clock: GatewayClock, cache: ContentCache, output: any AudioOutput,
                amplifier: any AmplifierControl, log: PlayLog, logger: Logger, announcements: AnnouncementStore? = nil,
                window: TimeInterval = 3_600, startLead: TimeInterval = 0, alive: AliveMark? = nil,
                scheduleStoredAt: @escaping @Sendable () -> Date? = { nil }) {
        self.startLead = startLead
        self.alive = alive
        self.previousAlive = alive?.load()
        self.scheduleStoredAt = scheduleStoredAt
        self.announcementStore = announcements
        self.planner = PlayoutPlanner(configuration: configuration, window: window)
        self.clock = clock
        self.cache = cache
        self.output = output
        self.amplifier = amplifier
        self.log = log
        self.logger = logger
    }

    public var status: Status {
        let (value, live) = lock.withLock { (statusValue, latestLiveStream) }
        var status = value
        status.liveReception = live?.reception
        return status
    }

    /// A live stream started: the health report follows its reception from now on.
    func reportReception(of stream: ReceivedLiveStream) { lock.withLock { latestLiveStream = stream } }

    /// Queues an input and wakes the player.
    public func post(_ input: Input) {
        lock.withLock { inbox.append(input) }
        wake.signal()
    }

    /// Queues a test tone through the planner like any item (amplifier pre-roll, priority
    /// `testTonePriority`, preempts scheduled bulletins, dropped if interrupted itself). Its
    /// events go to the log, not to the controller's as-played record. Returns the item.
    @discardableResult
    public func playTestTone(_ tone: TestTone) -> PlayItem {
        let now = clock.now()
        let id: String = lock.withLock {
            toneCount += 1
            let id = "test-tone-\(Int64(now.timeIntervalSince1970 * 1000))-\(toneCount)"
            tones[id] = tone
            return id
        }
        let item = PlayItem(id: id, kind: .announcement, content: nil, priority: Self.testTonePriority, durationMs: tone.durationMs,
                            onBusy: .preempt, onInterrupt: .drop, due: now, expiresAt: now.addingTimeInterval(60))
        post(.announce(item))
        return item
    }

    /// The planner's time: the clock plus the start lead.
    private func planningNow() -> Date { clock.now().addingTimeInterval(startLead) }

    private func tone(_ itemId: String) -> TestTone? { lock.withLock { tones[itemId] } }

    func isTestTone(_ itemId: String) -> Bool { tone(itemId) != nil }

    /// Starts the player thread.
    public func start() {
        let thread = Thread { [self] in
            while turn() {
                let until = min(nextWake ?? .distantFuture, planningNow().addingTimeInterval(1))
                let seconds = max(0, until.timeIntervalSince(planningNow()))
                _ = wake.wait(timeout: .now() + seconds)
            }
            exited.fire()
        }
        thread.name = "loa-player"
        thread.start()
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

    /// One turn of the loop: handle queued inputs, let time pass, perform the actions. Returns
    /// false after `.shutdown`. Public so tests can step the player with a pinned clock.
    @discardableResult
    public func turn() -> Bool {
        guard running else { return false }
        let now = planningNow()
        let inputs: [Input] = lock.withLock {
            defer { inbox.removeAll() }
            return inbox
        }
        var merged = ActionMerger()
        if !journalClosed { closeOpenPlays(now: now) }
        if !ledgerLoaded { merged.add(recoverAnnouncements(now: now)) }
        for input in inputs {
            switch input {
            case .schedule(let schedule):
                merged.add(planner.scheduleChanged(schedule, now: now))
                if !scheduleRecovered {
                    scheduleRecovered = true
                    merged.add(recoverSchedule(schedule, now: now))
                }
                if let error = planner.lastError { remember(error) }
            case .announce(let item):
                guard admitAnnouncement(item, now: now) else { continue }
                merged.add(planner.itemDue(item, now: now))
            case .stop(let itemId):
                merged.add(planner.stop(itemId, now: now))
            case .rendered(let itemId, let outcome):
                merged.add(rendered(itemId, outcome, now: now))
            case .liveStart(let start):
                merged.add(liveStarted(start, now: now))
            case .liveAudio(let audio):
                merged.add(liveAudio(audio, now: now))
            case .liveEnd(let end):
                merged.add(liveEnded(end, now: now))
            case .liveQuiet(let itemId):
                merged.add(liveQuiet(itemId, now: now))
            case .shutdown:
                perform(merged.actions, at: now)
                shutDown(now: now)
                return false
            }
        }
        merged.add(planner.tick(now: now))
        perform(merged.actions, at: now)
        markAlive()
        return true
    }

    /// About once a second: the mark the next start bounds this run's end with.
    private func markAlive(force: Bool = false) {
        guard let alive else { return }
        let now = clock.now()
        if !force, let last = aliveWrittenAt, abs(now.timeIntervalSince(last)) < 1 { return }
        aliveWrittenAt = now
        if !alive.write(now) { remember("cannot write \(alive.path)") }
    }

    /// At the first turn: the plays the previous run left sounding are logged `interrupted`
    /// by the restart, so none stays open (`RestartRecovery.close`); old journal rows go.
    private func closeOpenPlays(now: Date) {
        journalClosed = true
        do {
            for record in RestartRecovery.close(try log.outbox.openJournalEntries(), lastAlive: previousAlive, now: now) {
                logger.notice("play cut by the gateway's restart", metadata: ["item.id": "\(record.event.itemId)", "kind": "\(record.event.kind)"])
                try log.record(record.event, reason: record.reason)
            }
            try log.outbox.pruneJournal(before: now.addingTimeInterval(-RestartRecovery.longestOutage - 86_400))
        } catch {
            remember("\(error)")
        }
    }

    /// With the stored schedule at startup: what started while the gateway was down is
    /// missed, resumed or restarted (`RestartRecovery.plan`).
    private func recoverSchedule(_ schedule: GatewaySchedule?, now: Date) -> [PlayoutAction] {
        guard let schedule else { return [] }
        do {
            let candidates = try RestartRecovery.candidates(schedule, lastAlive: previousAlive, scheduleSince: scheduleStoredAt(), now: now)
            let journal = try log.outbox.journalEntries(candidates.map(\.id))
            let plan = RestartRecovery.plan(candidates, journal: journal, lastAlive: previousAlive, now: now,
                                           warmUpMs: planner.warmUpMs)
            for record in plan.records {
                logger.notice("scheduled play missed while the gateway was down", metadata: ["item.id": "\(record.event.itemId)"])
                try log.record(record.event, reason: record.reason)
            }
            for (occurrence, decision) in plan.plays where decision == .restart && journal[occurrence.id] != nil {
                planner.recoveredRestarts.insert(occurrence.id)
            }
            return planner.recover(plan.plays, now: now)
        } catch {
            remember("restart recovery: \(error)")
            return []
        }
    }

    private func rendered(_ itemId: String, _ outcome: BulletinRenderer.Outcome, now: Date) -> [PlayoutAction] {
        if renderer?.itemId == itemId { renderer = nil }
        if case .cancelled = outcome {} else if liveRenderer?.itemId == itemId {
            // A cancelled live renderer was already replaced or dropped by the `stop` action.
            liveRenderer = nil
        }
        defer { liveItemEnded(itemId, outcome) }
        // The machine counts a play resumed after a restart from its resume point.
        let offset = planner.recoveredOffsets[itemId] ?? 0
        switch outcome {
        case .finished(let position):
            return planner.itemFinished(itemId, positionMs: position - offset, now: now)
        case .failed(let position, let reason):
            fail(itemId, at: now, reason: reason)
            return planner.itemFinished(itemId, positionMs: position - offset, now: now)
        case .cancelled:
            return []
        }
    }

    private func perform(_ actions: [PlayoutAction], at plannedAt: Date? = nil) {
        nextWake = nil
        for action in actions {
            switch action {
            case .amplifier(let on):
                switchAmplifier(on)
            case .start(let item, let fromMs):
                start(item, fromMs: fromMs + (planner.recoveredOffsets[item.id] ?? 0), at: plannedAt)
            case .stop(let itemId, _):
                if let renderer, renderer.itemId == itemId {
                    renderer.cancel()
                    self.renderer = nil
                }
                if let liveRenderer, liveRenderer.itemId == itemId {
                    liveRenderer.cancel()
                    self.liveRenderer = nil
                }
            case .log(let event):
                record(event)
            case .wakeUp(let at):
                nextWake = at
            }
        }
        lock.withLock { statusValue.nowPlaying = planner.machine.currentItem?.id }
    }

    private func switchAmplifier(_ on: Bool) {
        do { try amplifier.set(on: on) } catch { remember("\(error)") }
        if !on { output.close() }  // release the card while idle
        lock.withLock { statusValue.amplifierOn = on }
        logger.info(on ? "amplifier on" : "amplifier off")
    }

    /// Starts sound for `item`; a fresh start is held until `at` (planner time) so the first
    /// sample reaches the speaker then, not `startLead` early.
    private func start(_ item: PlayItem, fromMs: Int64, at: Date?) {
        let startAt = fromMs == 0 ? at : nil
        if item.kind == .live { return startLive(item) }
        var itemLogger = logger
        itemLogger[metadataKey: "item.id"] = "\(item.id)"
        if let tone = tone(item.id) {
            itemLogger.info("playing a test tone", metadata: ["frequency.hz": "\(tone.frequencyHz)", "duration.ms": "\(tone.durationMs)"])
            let renderer = BulletinRenderer(itemId: item.id, source: .tone(tone), fromMs: fromMs, output: output,
                                            startAt: startAt, now: { [clock] in clock.now() })
            self.renderer = renderer
            renderer.start { [weak self] outcome in self?.post(.rendered(itemId: item.id, outcome)) }
            return
        }
        itemLogger[metadataKey: "content.sha256"] = "\(item.content ?? "none")"
        guard let hex = item.content, let address = ContentAddress(hex: hex), let path = cache.path(for: address) else {
            itemLogger.error("content not cached; skipping the item")
            // Reported through the next turn, so `started` is logged before `failed`.
            post(.rendered(itemId: item.id, .failed(positionMs: fromMs, reason: "content \(item.content ?? "none") not cached")))
            return
        }
        itemLogger.info("playing", metadata: ["from.ms": "\(fromMs)"])
        let renderer = BulletinRenderer(itemId: item.id, source: .file(path), fromMs: fromMs, output: output,
                                        startAt: startAt, now: { [clock] in clock.now() })
        self.renderer = renderer
        renderer.start { [weak self] outcome in self?.post(.rendered(itemId: item.id, outcome)) }
    }

    private func record(_ event: LoaSchedule.PlayEvent) {
        let offset = planner.recoveredOffsets[event.itemId]
        var event = offset.map { RestartRecovery.translate(event, offsetMs: $0) } ?? event
        if event.kind == .started, planner.recoveredRestarts.remove(event.itemId) != nil { event.kind = .restarted }
        if tone(event.itemId) != nil {
            // A technician's check, not a broadcast: the journal only.
            logger.info("test tone \(event.kind)", metadata: ["item.id": "\(event.itemId)"])
            switch event.kind {
            case .started, .resumed, .restarted, .sourceLost, .sourceRestored: break
            default: _ = lock.withLock { tones.removeValue(forKey: event.itemId) }
            }
            return
        }
        liveItemDiscarded(event)
        if ledger.observe(event) { saveLedger(now: event.at) }
        if case .finished = event.kind, failedItems.remove(event.itemId) != nil { return }  // logged as failed
        // The item's full length, so that a restart can tell how far it got.
        let current = planner.machine.currentItem
        let durationMs = current?.id == event.itemId ? current?.durationMs.map { $0 + (offset ?? 0) } : nil
        do {
            if try log.record(event, durationMs: durationMs) == nil {
                logger.notice("play event not logged: the item's record is already complete",
                              metadata: ["item.id": "\(event.itemId)", "kind": "\(event.kind)"])
            }
        } catch {
            remember("\(error)")
        }
    }

    private func fail(_ itemId: String, at: Date, reason: String) {
        if tone(itemId) != nil {
            remember("test tone: \(reason)")
            return
        }
        failedItems.insert(itemId)
        do { try log.failed(itemId: itemId, at: at, reason: reason) } catch { remember("\(error)") }
        remember("\(itemId): \(reason)")
    }

    private func shutDown(now: Date) {
        running = false
        var actions: [PlayoutAction] = []
        if let current = planner.machine.currentItem {
            actions = planner.stop(current.id, now: now).map { action in
                guard case .log(let event) = action, case .stopped(let atMs) = event.kind else { return action }
                return .log(LoaSchedule.PlayEvent(at: event.at, itemId: event.itemId, kind: .interrupted(atMs: atMs, by: "shutdown")))
            }
        }
        renderer?.cancel(timeout: 0.5)
        renderer = nil
        liveRenderer?.cancel(timeout: 0.5)
        liveRenderer = nil
        perform(actions.filter { if case .wakeUp = $0 { false } else { true } })
        if status.amplifierOn { switchAmplifier(false) }
        output.close()
        markAlive(force: true)
    }

    func remember(_ error: String) {
        logger.error("\(error)")
        lock.withLock {
            statusValue.lastErrors.append(error)
            if statusValue.lastErrors.count > 5 { statusValue.lastErrors.removeFirst() }
        }
    }
}
