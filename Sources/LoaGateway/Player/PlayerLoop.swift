#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaProtocol
import LoaSchedule
import Logging

/// The player's own state and its turn, owned by one thread (`PlayerService.start`) or, before
/// that thread starts, by a test stepping it: it feeds the `PlayoutPlanner` — the decisions, as
/// a value — with the inputs the `PlayerMailbox` collected, and performs the actions the planner
/// returns (amplifier, sound on a `BulletinRenderer` or `LiveRenderer` thread, the durable
/// as-played log). Nothing here is shared: other threads reach the player through the mailbox.
final class PlayerLoop {
    let clock: GatewayClock
    let startLead: TimeInterval
    let mailbox: PlayerMailbox
    private let cache: ContentCache
    let output: any AudioOutput
    /// What the renderers' rate correction sees, for health.
    let timeline: TimelineStatus
    private let amplifier: any AmplifierControl
    let log: PlayLog
    var logger: Logger
    var planner: PlayoutPlanner
    private var renderer: BulletinRenderer?
    /// Test tones handed to the planner, by item id.
    private var tones: [String: TestTone] = [:]
    /// Live streams known by id (a `liveStart` received, its `liveEnd` not yet played out).
    var liveStreams: [UInt32: ReceivedLiveStream] = [:]
    var liveRenderer: LiveRenderer?
    /// Streams that ended (or were never started) and were already warned about.
    var endedStreams: Set<UInt32> = []
    var warnedStreams: Set<UInt32> = []
    /// Live items whose source is reported lost to the arbiter (in their grace, or waiting for it).
    var quietItems: Set<String> = []
    private var failedItems: Set<String> = []
    /// Starts planned `startLead` ahead, logged once their instant has come (`logWhenSounding`).
    private var pendingStarts: [PlayoutEvent] = []
    /// Announcements received and how far each got, on disk (nil: not kept, in some tests).
    let announcementStore: AnnouncementStore?
    var ledger = AnnouncementLedger()
    var ledgerLoaded = false
    private(set) var nextWake: Date?
    private(set) var running = true
    private var amplifierOn = false
    /// A renderer finished with its last sound still queued (`BulletinRenderer.handoverSeconds`):
    /// drained at the end of the turn unless another item took the output over.
    private var tailQueued = false
    /// Where the previous run left its alive mark, read before this run writes its own.
    let alive: AliveMark?
    let previousAlive: Date?
    var aliveWrittenAt: Date?
    let scheduleStoredAt: @Sendable () -> Date?
    /// Whether the plays the previous run left open were closed, and the stored schedule's
    /// outage looked at (`RestartRecovery`).
    var journalClosed = false
    var scheduleRecovered = false

    init(configuration: PlayoutConfiguration, clock: GatewayClock, cache: ContentCache, output: any AudioOutput,
         amplifier: any AmplifierControl, log: PlayLog, logger: Logger, mailbox: PlayerMailbox,
         announcements: AnnouncementStore?, window: TimeInterval, startLead: TimeInterval, alive: AliveMark?,
         scheduleStoredAt: @escaping @Sendable () -> Date?, timeline: TimelineStatus) {
        self.startLead = startLead
        self.timeline = timeline
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
        self.mailbox = mailbox
    }

    /// The planner's time: the clock plus the start lead.
    func planningNow() -> Date { clock.now().addingTimeInterval(startLead) }

    /// One turn: handle the queued inputs, let time pass, perform the actions. Returns false
    /// after `.shutdown`.
    func turn() -> Bool {
        guard running else { return false }
        let now = planningNow()
        var merged = ActionMerger()
        if !journalClosed { closeOpenPlays(now: now) }
        if !ledgerLoaded { merged.add(recoverAnnouncements(now: now)) }
        logStartsDue()
        for input in mailbox.take() {
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
            case .testTone(let item, let tone):
                tones[item.id] = tone
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
        drainTailIfIdle()
        markAlive()
        return true
    }

    private func rendered(_ itemId: String, _ outcome: BulletinRenderer.Outcome, now: Date) -> [PlayoutAction] {
        if renderer?.itemId == itemId {
            renderer = nil
            if case .cancelled = outcome {} else { tailQueued = true }
        }
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
        // Items cut in this list, and where the speaker was (the machine's terms).
        var cuts: [String: Int64] = [:]
        for action in actions {
            switch action {
            case .amplifier(let on):
                switchAmplifier(on)
            case .start(let item, let fromMs):
                start(item, fromMs: fromMs + (planner.recoveredOffsets[item.id] ?? 0), at: plannedAt)
            case .stop(let itemId, _):
                if let renderer, renderer.itemId == itemId {
                    cuts[itemId] = planner.cutSounded(itemId, atMs: renderer.cancel())
                    self.renderer = nil
                }
                if let liveRenderer, liveRenderer.itemId == itemId {
                    liveRenderer.cancel()
                    self.liveRenderer = nil
                }
            case .log(let event):
                logWhenSounding(cuts[event.itemId].map(event.placingCut(atMs:)) ?? event)
            case .wakeUp(let at):
                nextWake = at
            }
        }
        if let due = pendingStarts.map(\.at).min() { nextWake = min(nextWake ?? due, due) }
        let current = planner.machine.currentItem?.id
        let (wake, live) = (nextWake, liveStreams.count)
        mailbox.publish {
            $0.nowPlaying = current
            $0.nextWake = wake
            $0.liveStreams = live
        }
    }

    /// Nothing took over from the item that just finished: let its last sound play out.
    private func drainTailIfIdle() {
        guard tailQueued, renderer == nil, liveRenderer == nil else { return }
        tailQueued = false
        guard output.openFormat != nil else { return }
        do { try output.drain() } catch { remember("\(error)") }
    }

    private func switchAmplifier(_ on: Bool) {
        do { try amplifier.set(on: on) } catch { remember("\(error)") }
        if !on { output.close() }  // release the card while idle
        amplifierOn = on
        mailbox.publish { $0.amplifierOn = on }
        logger.info(on ? "amplifier on" : "amplifier off")
    }

    /// Starts sound for `item`; a fresh start is held until `at` (planner time) so the first
    /// sample reaches the speaker then, not `startLead` early.
    private func start(_ item: PlayItem, fromMs: Int64, at: Date?) {
        // A fresh start sounds at its due instant; one that waited behind another item (a
        // program's next, a repeat: due as the one before it ends) sounds at once, right after.
        let startAt = fromMs == 0 && at != nil ? max(item.due, clock.now()) : nil
        tailQueued = false
        if item.kind == .live { return startLive(item) }
        var itemLogger = logger
        itemLogger[metadataKey: "item.id"] = "\(item.id)"
        let source: BulletinRenderer.Source
        if let tone = tones[item.id] {
            itemLogger.info("playing a test tone", metadata: ["frequency.hz": "\(tone.frequencyHz)", "duration.ms": "\(tone.durationMs)"])
            source = .tone(tone)
        } else {
            itemLogger[metadataKey: "content.sha256"] = "\(item.content ?? "none")"
            guard let hex = item.content, let address = ContentAddress(hex: hex), let path = cache.path(for: address) else {
                itemLogger.error("content not cached; skipping the item")
                // Reported through the next turn, so `started` is logged before `failed`.
                mailbox.post(.rendered(itemId: item.id, .failed(positionMs: fromMs, reason: "content \(item.content ?? "none") not cached")))
                return
            }
            itemLogger.info("playing", metadata: ["from.ms": "\(fromMs)"])
            source = .file(path)
        }
        let renderer = BulletinRenderer(itemId: item.id, source: source, fromMs: fromMs, output: output,
                                        startAt: startAt, now: { [clock] in clock.now() }, timeline: timeline)
        self.renderer = renderer
        renderer.start { [mailbox] outcome in mailbox.post(.rendered(itemId: item.id, outcome)) }
    }

    /// A start is planned `startLead` before its instant and the first sample held until then:
    /// its event is logged once the instant has come, not when planned, so a gateway killed in
    /// between has no `started` for a play that never sounded (its restart then finds nothing
    /// open and follows the item's policy). Every other event is logged at once, after any
    /// start of its item still pending.
    private func logWhenSounding(_ event: PlayoutEvent) {
        switch event.kind {
        case .started, .resumed, .restarted:
            if event.at > clock.now() { pendingStarts.append(event) } else { record(event) }
        default:
            record(event)
        }
    }

    private func logStartsDue() {
        let now = clock.now()
        let due = pendingStarts.filter { $0.at <= now }
        pendingStarts.removeAll { $0.at <= now }
        due.forEach(record)
    }

    /// Logs the pending start of `itemId` now: another event of the item comes after it.
    private func logPendingStart(of itemId: String) {
        guard let index = pendingStarts.firstIndex(where: { $0.itemId == itemId }) else { return }
        record(pendingStarts.remove(at: index))
    }

    private func record(_ event: PlayoutEvent) {
        logPendingStart(of: event.itemId)
        let offset = planner.recoveredOffsets[event.itemId]
        var event = offset.map { RestartRecovery.translate(event, offsetMs: $0) } ?? event
        if event.kind == .started, planner.recoveredRestarts.remove(event.itemId) != nil { event.kind = .restarted }
        if tones[event.itemId] != nil {
            // A technician's check: in the as-played record (`test-tone-…`, so the technician sees
            // it played), never counted as a broadcast (the controller's period report skips it).
            logger.info("test tone \(event.kind)", metadata: ["item.id": "\(event.itemId)"])
            switch event.kind {
            case .started, .resumed, .restarted, .sourceLost, .sourceRestored: break
            default: tones[event.itemId] = nil
            }
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
        if tones[itemId] != nil {
            remember("test tone: \(reason)")
            return
        }
        logPendingStart(of: itemId)
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
                return .log(PlayoutEvent(at: event.at, itemId: event.itemId, kind: .interrupted(atMs: atMs, by: PlayLog.shutdownCause)))
            }
        }
        renderer?.cancel(timeout: 0.5)
        renderer = nil
        liveRenderer?.cancel(timeout: 0.5)
        liveRenderer = nil
        perform(actions.filter { if case .wakeUp = $0 { false } else { true } })
        if amplifierOn { switchAmplifier(false) }
        output.close()
        markAlive(force: true)
    }

    /// Logs an error and keeps the last five for the health report.
    func remember(_ error: String) {
        logger.error("\(error)")
        mailbox.publish { status in
            status.lastErrors.append(error)
            if status.lastErrors.count > 5 { status.lastErrors.removeFirst() }
        }
    }
}
