#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs the playout state machine over a stretch of virtual time, playing the part of the
/// player (items end exactly after their remaining duration) and of the timer. Pure: the same
/// input gives the same timeline. The gateway's tests and the controller's preview use it.
public struct PlayoutSimulation: Sendable {
    public var configuration: PlayoutConfiguration

    public init(configuration: PlayoutConfiguration = PlayoutConfiguration()) {
        self.configuration = configuration
    }

    /// Plays the schedule's occurrences in `interval` together with `extraItems`
    /// (announcements, emergencies, live streams) and `events`.
    public func run(schedule: GatewaySchedule, extraItems: [PlayItem] = [], events: [SimulationEvent] = [],
                    interval: DateInterval) throws(ScheduleValidationError) -> SimulationResult {
        let scheduled = try schedule.occurrences(in: interval).map { $0.playItem() }
        return run(items: scheduled + extraItems, events: events, interval: interval)
    }

    /// Hands every item in at `interval.start` (each is held until its due time) and runs to
    /// `interval.end`, where anything still sounding is cut off in the timeline.
    public func run(items: [PlayItem], events: [SimulationEvent] = [], interval: DateInterval) -> SimulationResult {
        var run = Run(machine: PlayoutStateMachine(configuration: configuration),
                      script: events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element))
        // Sorted by due time, then id, so the outcome does not depend on the input's order.
        for item in items.sorted(by: { ($0.due, $0.id) < ($1.due, $1.id) }) {
            run.apply(run.machine.itemDue(item, now: interval.start), now: interval.start)
        }
        run.advance(until: interval.end)
        run.closeSegment(at: interval.end)
        return run.result
    }
}

/// The mutable state of one simulated run.
private struct Run {
    struct Sounding {
        var item: PlayItem
        var start: Date
        var fromMs: Int64
        var expectedEnd: Date? { item.durationMs.map { start.adding(ms: $0 - fromMs) } }
    }

    var machine: PlayoutStateMachine
    var script: [SimulationEvent]
    var wake: Date?
    var sounding: Sounding?
    var result = SimulationResult()

    mutating func advance(until end: Date) {
        // A bound on steps guards against a machine that keeps asking to be woken at `now`.
        for _ in 0..<1_000_000 {
            let candidates = [wake, sounding?.expectedEnd, script.first?.at].compactMap { $0 }
            guard let now = candidates.min(), now <= end else { return }
            step(now: now)
        }
    }

    private mutating func step(now: Date) {
        if let playing = sounding, let finish = playing.expectedEnd, finish <= now {
            closeSegment(at: now)
            apply(machine.itemFinished(playing.item.id, positionMs: playing.item.durationMs ?? 0, now: now), now: now)
        }
        while let event = script.first, event.at <= now {
            script.removeFirst()
            apply(perform(event, now: now), now: now)
        }
        if let due = wake, due <= now { apply(machine.tick(now: now), now: now) }
    }

    private mutating func perform(_ event: SimulationEvent, now: Date) -> [PlayoutAction] {
        switch event {
        case .handIn(let item, _): return machine.itemDue(item, now: now)
        case .stop(let id, _): return machine.stop(id, now: now)
        case .liveSourceLost(let id, _): return machine.liveSourceLost(id, now: now)
        case .liveSourceBack(let id, _): return machine.liveSourceBack(id, now: now)
        }
    }

    mutating func apply(_ actions: [PlayoutAction], now: Date) {
        wake = nil
        for action in actions {
            switch action {
            case .start(let item, let fromMs):
                closeSegment(at: now)
                sounding = Sounding(item: item, start: now, fromMs: fromMs)
            case .stop:
                closeSegment(at: now)
            case .log(let event):
                result.events.append(event)
            case .amplifier(let on):
                result.amplifier.append(AmplifierSwitch(at: now, on: on))
            case .wakeUp(let at):
                wake = at
            }
        }
    }

    mutating func closeSegment(at now: Date) {
        guard let playing = sounding else { return }
        result.segments.append(TimelineSegment(itemId: playing.item.id, start: playing.start, end: now, fromMs: playing.fromMs))
        sounding = nil
    }
}
