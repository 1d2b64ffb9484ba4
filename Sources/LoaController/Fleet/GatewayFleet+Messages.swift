import Foundation
import NIOPosix
import LoaProtocol
import Logging

extension GatewayFleet {
    /// Compiles and pushes the gateway's schedule when its version differs from the one last
    /// pushed on this connection.
    func pushSchedule(to link: GatewayConnection) async {
        let logger = self.gatewayLogger(for: link)
        do {
            let version = try await store.gateway(link.gatewayID).scheduleVersion
            if let pushed = link.pushedScheduleVersion, pushed == UInt64(max(0, version)) { return }
            let schedule = try await schedules.schedule(for: link.gatewayID)
            let document = [UInt8](schedule.canonicalJSON())
            try await link.send(.scheduleUpdate(ScheduleUpdate(version: schedule.version, document: document)))
            link.recordPushed(schedule)
            logger.info("schedule pushed", metadata: [
                "schedule.version": "\(schedule.version)", "schedule.entries": "\(schedule.entries.count)",
            ])
        } catch {
            logger.warning("schedule push failed", metadata: ["error": "\(error)"])
        }
    }

    /// Everything a ready gateway sends except content requests.
    func received(_ message: Message, from link: GatewayConnection) async {
        let logger = self.gatewayLogger(for: link)
        switch message {
        case .scheduleAck(let ack):
            link.recordAcknowledged(ack.version)
            logger.debug("schedule acknowledged", metadata: ["schedule.version": "\(ack.version)"])
        case .playEvents(let batch):
            await storePlayEvents(batch, from: link, logger: logger)
        case .healthReport(let report):
            await storeHealth(report, from: link, logger: logger)
        case .commandResult(let result):
            commandResults.deliver(result)
            logger.info("command result", metadata: [
                "command.id": "\(result.id)", "command.ok": "\(result.ok)", "command.message": "\(result.message ?? "")",
            ])
            try? await store.appendAudit(
                action: "gateway.command.result", target: link.gatewayID,
                details: ["command.id": result.id, "ok": "\(result.ok)", "message": result.message ?? ""],
                origin: AuditOrigin(actor: AuditOrigin.controller.actor, address: link.peer))
        case .error(let error):
            logger.warning("gateway reported an error", metadata: ["loa.error.code": "\(error.code)", "error": "\(error.message)"])
        default:
            logger.debug("ignored message", metadata: ["message.type": "\(message.frameType)"])
        }
    }

    /// Stores the events (a resent id is ignored by the store), then acknowledges every id. On a
    /// store failure nothing is acknowledged, so the gateway keeps the events and sends them again.
    func storePlayEvents(_ batch: PlayEventBatch, from link: GatewayConnection, logger: Logger) async {
        let events = batch.events.map { event in
            PlayLogEntry(eventID: event.id, gatewayID: link.gatewayID, itemID: event.itemId,
                      bulletinSHA256: link.bulletin(forItem: event.itemId), kind: Self.storedKind(event.kind, cause: event.cause, detail: event.detail),
                      at: Date(timeIntervalSince1970: Double(event.at) / 1000),
                      positionMs: Self.positionMs(of: event), detail: event.detail)
        }
        do {
            try await playEventWriter.submit(events)
            for event in events { metrics.playEvents(kind: event.kind.rawValue) }
            try await link.send(.playEventsAck(PlayEventAck(ids: batch.events.map(\.id))))
            logger.debug("play events stored", metadata: ["events.received": "\(events.count)"])
        } catch {
            logger.warning("play events not stored; not acknowledged", metadata: ["error": "\(error)"])
        }
    }

    /// Where in the item the event happened: the event's `positionMs`, or from a gateway that
    /// predates it, the detail's `atMs=N` (finished, interrupted, stopped) or `fromMs=N`
    /// (resumed). 0 when absent.
    static func positionMs(of event: LoaProtocol.PlayEvent) -> Int {
        if let typed = event.positionMs, typed >= 0, typed <= Int64(Int32.max) { return Int(typed) }
        return positionMs(inDetail: event.detail)
    }

    static func positionMs(inDetail detail: String?) -> Int {
        guard let detail else { return 0 }
        for word in detail.split(separator: " ") {
            for key in ["atMs=", "fromMs="] where word.hasPrefix(key) {
                if let value = Int(word.dropFirst(key.count)), value >= 0 { return value }
            }
        }
        return 0
    }

    /// The protocol's as-played kinds, one to one (the store learnt `resumed` and `failed` in v2),
    /// except that a `dropped` whose detail's first word is `missed` is stored as `missed`
    /// (docs/PROTOCOL.md, "Missed").
    /// How the play log files an event: a `dropped` play that never sounded is `missed` — by its
    /// typed `cause`, or from a gateway before it, by the first word of `detail`.
    static func storedKind(_ kind: PlayEventKind, cause: PlayEventCause? = nil, detail: String? = nil) -> PlayLogEntry.Kind {
        switch kind {
        case .started: return .started
        case .resumed: return .resumed
        case .finished: return .finished
        case .interrupted: return .interrupted
        case .dropped:
            if let cause { return cause == .missed ? .missed : .dropped }
            let first = detail?.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).first
            return first == "missed" ? .missed : .dropped
        case .failed: return .failed
        }
    }

    func storeHealth(_ report: HealthReport, from link: GatewayConnection, logger: Logger) async {
        let at = now()
        let decision = healthIntake.withLockedValue { $0.admit(report, from: link.gatewayID, now: at) }
        let report: HealthReport
        switch decision {
        case .drop(let first):
            metrics.healthReportDropped(gateway: link.gatewayID)
            if first { logger.warning("health reports over the rate limit are dropped", metadata: ["health.limit": "\(healthIntake.withLockedValue { $0.limits })"]) }
            return
        case .store(let kept, let clamped):
            if clamped { logger.notice("health report clamped to the field limits") }
            report = kept
        }
        metrics.gatewaySync(gateway: link.gatewayID, report: report)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let json = try encoder.encode(report)
            try await healthWriter.submit(HealthSample(gatewayID: link.gatewayID, at: now(), report: json))
            changes.publish(link.gatewayID)
        } catch {
            logger.warning("health report not stored", metadata: ["error": "\(error)"])
        }
    }

    /// Streams a stored file from the requested offset in chunks, then `contentEnd`. Each chunk
    /// waits for its write, so a slow 4G link holds back the reading instead of filling memory.
    /// The file is opened and read on NIO's thread pool, never on the cooperative pool.
    func serveContent(_ request: ContentRequest, to link: GatewayConnection) async {
        var logger = self.gatewayLogger(for: link)
        let sha256 = request.sha256.description
        logger[metadataKey: "bulletin.sha256"] = "\(sha256)"
        guard content.contains(sha256) else {
            logger.warning("content requested that this controller does not have")
            try? await link.send(.error(ErrorMessage(code: ErrorCode.contentNotFound.rawValue,
                                                     message: "no content with sha256 \(sha256) on this controller")))
            return
        }
        do {
            let url = content.url(for: sha256)
            let pool = NIOThreadPool.singleton
            let handle = try await pool.runIfActive { try FileHandle(forReadingFrom: url) }
            defer { try? handle.close() }
            let size = try await pool.runIfActive { try handle.seekToEnd() }
            guard request.offset <= size else {
                try await link.send(.error(ErrorMessage(code: ErrorCode.contentOutOfOrder.rawValue,
                                                        message: "offset \(request.offset) is beyond the content size \(size); request from 0")))
                return
            }
            var offset = request.offset
            let chunkBytes = self.chunkBytes
            try await pool.runIfActive { [offset] in try handle.seek(toOffset: offset) }
            while offset < size {
                if Task.isCancelled { return }
                guard let data = try await pool.runIfActive({ try handle.read(upToCount: chunkBytes) }), !data.isEmpty else { break }
                try await link.send(.contentChunk(ContentChunk(sha256: request.sha256, offset: offset, bytes: [UInt8](data))))
                offset += UInt64(data.count)
            }
            try await link.send(.contentEnd(ContentEnd(sha256: request.sha256, size: size)))
            logger.debug("content sent", metadata: ["content.offset": "\(request.offset)", "content.size": "\(size)"])
        } catch {
            logger.warning("content transfer failed", metadata: ["error": "\(error)"])
        }
    }
}
