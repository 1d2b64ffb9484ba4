#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaProtocol
import LoaSchedule
import Logging
import NIOCore
import NIOPosix

/// Wires the gateway from its configuration: local state, ALSA output and volume, amplifier,
/// player, link and health reporter. `start()` brings them up; `stop()` takes them down in
/// reverse order within about a second (the playing item is logged interrupted first).
public final class GatewayDaemon: @unchecked Sendable {
    public let configuration: GatewayConfiguration
    private var logger: Logger
    public private(set) var state: LocalState?
    public private(set) var player: PlayerService?
    public private(set) var link: GatewayLink?
    public private(set) var actions: GatewayActions?
    /// Where the sound card is against the controller's time line (rate correction).
    public private(set) var timeline: TimelineStatus?
    private var health: HealthReporter?
    private var control: ControlServer?
    private var group: MultiThreadedEventLoopGroup?
    /// Recent log lines for the control socket's `logs` (fed by a `TeeLogHandler`).
    private let logRing: LogRing?

    public init(configuration: GatewayConfiguration, logger: Logger, logRing: LogRing? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.logRing = logRing
        self.logger[metadataKey: "gateway.id"] = "\(configuration.gateway.id)"
    }

    /// Opens the local state and starts every service. Throws with a message naming what to fix.
    public func start() throws {
        let config = configuration
        let state = try LocalState(root: config.gateway.stateDirectory,
                                   cache: CacheConfiguration(quotaBytes: UInt64(config.cache.quotaMB) << 20), logger: logger)
        self.state = state
        let stored = loadSchedule(state)
        let device = ALSADevice(name: config.audio.pcm, configText: try config.alsaConfigText())
        let audio = ALSAOutputWithVolume.make(device: device, mixerElement: config.audio.mixerElement,
                                              latency: .milliseconds(config.audio.latencyMs))
        if let reason = audio.fallbackReason { logger.notice("software volume", metadata: ["reason": "\(reason)"]) }
        let output = outputUnderTest(audio.output)
        let timeline = TimelineStatus()
        self.timeline = timeline
        let log = PlayLog(gatewayId: config.gateway.id, outbox: state.outbox) { [weak self] in self?.link?.outboxChanged() }
        let player = PlayerService(configuration: config.playout, clock: GatewayClock(), cache: state.cache,
                                   output: output, amplifier: config.makeAmplifier(), log: log, logger: logger,
                                   announcements: state.announcements, startLead: PlayerService.defaultStartLead,
                                   alive: state.alive, scheduleStoredAt: { [schedule = state.schedule] in schedule.storedAt() },
                                   timeline: timeline)
        self.player = player
        let actions = GatewayActions(volume: audio.volume, setting: VolumeSetting(stateDirectory: config.gateway.stateDirectory),
                                     player: player)
        self.actions = actions
        actions.restoreVolume(logger: logger)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let link = GatewayLink(settings: try linkSettings(player: player), state: state, player: player,
                               commands: GatewayCommands(actions: actions, logs: logRing), group: group, logger: logger)
        self.link = link
        let health = HealthReporter(probe: SystemProbe(stateDirectory: config.gateway.stateDirectory), link: link, player: player,
                                    cache: state.cache, outbox: state.outbox, volume: audio.volume, output: output,
                                    interval: TimeInterval(config.health.intervalSeconds), logger: logger)
        self.health = health
        player.post(.schedule(stored))
        player.start()
        link.start(schedule: stored)
        health.start()
        startControl(state: state, player: player, link: link, actions: actions, output: output)
        logger.info("gateway started", metadata: [
            "controllers": "\(config.controller.hosts.joined(separator: ","))", "pcm": "\(device)",
            "schedule.version": "\(stored.map { "\($0.version)" } ?? "none")"])
    }

    /// Stops the player (so the interrupted item is logged) and the control socket together,
    /// then health and the link. Nothing here blocks a cooperative thread.
    public func stop() async {
        let (control, player, logger) = (self.control, self.player, self.logger)
        self.control = nil
        await withTaskGroup(of: Void.self) { parts in
            if let control { parts.addTask { await control.stop() } }
            if let player {
                parts.addTask {
                    if await !player.shutdown(timeout: .seconds(1)) { logger.warning("player did not stop within 1 s") }
                }
            }
        }
        health?.stop()
        await link?.stop()
        try? await group?.shutdownGracefully()
        group = nil
        logger.info("gateway stopped")
    }

    /// The output as configured, or as a skewed card for a test (`audio.simulated_skew_ppm`).
    private func outputUnderTest(_ output: any AudioOutput) -> any AudioOutput {
        let skew = configuration.audio.simulatedSkewPpm
        guard skew != 0 else { return output }
        logger.warning("output clock skewed on purpose (a test setting)", metadata: ["audio.simulated_skew_ppm": "\(skew)"])
        return SimulatedSkewOutput(wrapping: output, skewPpm: skew)
    }

    /// The technician's socket; without it the gateway still plays (the error is logged).
    private func startControl(state: LocalState, player: PlayerService, link: GatewayLink, actions: GatewayActions,
                              output: any AudioOutput) {
        let config = configuration.control
        guard !config.socket.isEmpty else { return }
        let backend = DaemonControlBackend(gatewayId: configuration.gateway.id, startedAt: Date(), state: state, player: player,
                                           link: link, actions: actions, output: output, logRing: logRing)
        let server = ControlServer(settings: .init(path: config.socket, group: config.group.isEmpty ? nil : config.group),
                                   responder: ControlResponder(backend: backend), logger: logger)
        do {
            try server.start()
            control = server
        } catch {
            logger.error("no control socket; loactl gateway will not reach this daemon", metadata: ["error": "\(error)"])
        }
    }

    private func loadSchedule(_ state: LocalState) -> GatewaySchedule? {
        do {
            guard let stored = try state.schedule.load() else { return nil }
            return try GatewaySchedule.decode(json: stored.document)
        } catch {
            logger.error("stored schedule unusable; waiting for the controller", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func linkSettings(player: PlayerService) throws -> GatewayLink.Settings {
        let config = configuration
        let session = GatewaySessionHandler.Configuration(
            session: .init(gatewayID: config.gateway.id, secret: try config.secretBytes(), software: HealthReporter.softwareVersion),
            handshakeTimeout: .seconds(Int64(config.controller.handshakeTimeoutSeconds)),
            clockSyncInterval: config.controller.clockSyncSeconds > 0 ? .seconds(Int64(config.controller.clockSyncSeconds)) : nil,
            clockSyncBusyInterval: config.controller.clockSyncBusySeconds > 0 ? .seconds(Int64(config.controller.clockSyncBusySeconds)) : nil,
            clockSyncDemand: { [weak player] in player.map { $0.status.wantsClockSync(now: $0.clock.now()) } ?? false })
        var addTLS: (@Sendable (ChannelPipeline.SynchronousOperations, String?) throws -> Void)?
        if config.controller.tls {
            let context = try LoaTLSConfiguration(caPath: config.controller.caFile).makeClientContext()
            addTLS = { ops, host in try ops.addLoaTLSClient(context: context, serverHostname: host) }
        }
        return GatewayLink.Settings(addresses: config.controllerAddresses, session: session,
                                    backoff: config.reconnectBackoff, addTLS: addTLS)
    }
}
