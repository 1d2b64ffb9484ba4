#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import LoaSchedule
import NIOCore

/// What the link does with each session event, isolated to the link (on its event loop).
extension GatewayLink {
    func handle(_ event: SessionEvent, on channel: any Channel) {
        switch event {
        case .ready(let id, let version, _):
            self.channel = channel
            ready = true
            sentIDs = []
            fetcher.reset()
            updateStatus {
                $0.connected = true
                // "10.0.0.2:7443" rather than NIO's "[IPv4]10.0.0.2/10.0.0.2:7443": a technician reads it.
                $0.controller = channel.remoteAddress.map { address in
                    guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
                    return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
                } ?? "?"
            }
            logger.info("session ready", metadata: ["gateway.id": "\(id)", "protocol.version": "\(version)"])
            sendPending()
            for hex in awaitingAudio.keys { if let address = ContentAddress(hex: hex) { fetcher.want(address) } }
            requestContent(on: channel)
        case .clockSample(let sample):
            clock.sync.set(discipline.add(sample))
            // The quickest of the last few exchanges: what the link takes now, without its queues.
            let rtt = discipline.samples.suffix(8).map(\.delay).min().map { Double($0) / 1e6 }
            updateStatus { $0.rttMs = rtt }
        case .message(let message):
            handle(message, on: channel)
        }
    }

    private func handle(_ message: Message, on channel: any Channel) {
        switch message {
        case .scheduleUpdate(let update):
            storeSchedule(update, on: channel)
        case .contentChunk(let chunk):
            if let again = fetcher.received(chunk) { send(.contentRequest(again), on: channel) }
        case .contentEnd(let end):
            fetcher.received(end)
            releaseAwaitingAudio()
            requestContent(on: channel)
        case .playEventsAck(let ack):
            let ids = ack.ids.compactMap(UUID.init(uuidString:))
            do { try state.outbox.acknowledge(ids) } catch { logger.error("outbox: \(error)") }
        case .announce(let announcement):
            let item = playItem(announcement)
            guard let address = ContentAddress(hex: announcement.sha256.description), !state.cache.contains(address) else {
                player.post(.announce(item))
                return
            }
            // Its audio is still on its way (an emergency with a new recording, over 4G): the
            // player gets it when the audio is in, rather than skipping it as not cached.
            awaitingAudio[address.hex, default: []].removeAll { $0.id == item.id }
            awaitingAudio[address.hex, default: []].append(item)
            logger.notice("announcement waits for its audio", metadata: ["item.id": "\(item.id)", "content.sha256": "\(address.hex)"])
            fetcher.want(address)
            requestContent(on: channel)
        case .stop(let stop):
            player.post(.stop(itemId: stop.itemId))
        case .liveStart(let start):
            player.post(.liveStart(start))
        case .liveAudio(let audio):
            player.post(.liveAudio(audio))
        case .liveEnd(let end):
            player.post(.liveEnd(end))
        case .command(let command):
            let result = commands.run(command)
            logger.notice("command", metadata: ["command.id": "\(command.id)", "ok": "\(result.ok)", "message": "\(result.message ?? "")"])
            send(.commandResult(result), on: channel)
        case .error(let error):
            logger.warning("controller error", metadata: ["code": "\(error.code)", "message": "\(error.message)"])
            if error.code == ErrorCode.contentNotFound.rawValue || !fetcher.isIdle {
                fetcher.refused(error)
                releaseAwaitingAudio()
                requestContent(on: channel)
            }
        default:
            logger.debug("ignored message", metadata: ["type": "\(message.frameType.name)"])
        }
    }

    private func storeSchedule(_ update: LoaProtocol.ScheduleUpdate, on channel: any Channel) {
        let document = Data(update.document)
        let decoded: GatewaySchedule
        do { decoded = try GatewaySchedule.decode(json: document) } catch {
            // Not acknowledged: the controller keeps offering it and the old schedule stays.
            logger.error("refused a schedule that does not decode", metadata: ["schedule.version": "\(update.version)", "error": "\(error)"])
            return
        }
        do {
            switch try state.schedule.save(StoredSchedule(version: update.version, document: document)) {
            case .store:
                logger.info("schedule stored", metadata: ["schedule.version": "\(update.version)"])
                schedule = decoded
                fetcher.need(decoded)
                player.post(.schedule(decoded))
                send(.scheduleAck(ScheduleAck(version: update.version)), on: channel)
            case .alreadyStored:
                send(.scheduleAck(ScheduleAck(version: update.version)), on: channel)
            case .olderThanStored(let stored):
                send(.scheduleAck(ScheduleAck(version: stored)), on: channel)
            }
            updateStatus { $0.scheduleVersion = max($0.scheduleVersion ?? 0, update.version) }
        } catch {
            logger.error("cannot store the schedule", metadata: ["schedule.version": "\(update.version)", "error": "\(error)"])
            return
        }
        requestContent(on: channel)
    }

    /// Hands the player the announcements whose audio is now cached, and those whose audio the
    /// controller refused (the player then logs them failed, as proof of play must say).
    func releaseAwaitingAudio() {
        for (hex, items) in awaitingAudio {
            guard let address = ContentAddress(hex: hex), state.cache.contains(address) || fetcher.gaveUp(on: address) else { continue }
            awaitingAudio[hex] = nil
            for item in items { player.post(.announce(item)) }
        }
    }

    func requestContent(on channel: any Channel) {
        guard ready, fetcher.isIdle, let request = fetcher.nextRequest() else { return }
        send(.contentRequest(request), on: channel)
    }

    /// Sends unacknowledged play events (as one batch) and the newest queued health report.
    /// Health reports have no ack in the protocol: they are deleted once written to the socket.
    func sendPending() {
        guard ready, let channel else { return }
        let items: [OutboxItem]
        do { items = try state.outbox.pending(limit: 500) } catch {
            logger.error("outbox: \(error)")
            return
        }
        let fresh = items.filter { !sentIDs.contains($0.id) }
        let decoder = JSONDecoder()
        let events = fresh.filter { $0.kind == .playEvent }.compactMap { try? decoder.decode(LoaProtocol.PlayEvent.self, from: $0.payload) }
        if !events.isEmpty { send(.playEvents(PlayEventBatch(events: events)), on: channel) }
        // Only the newest health report is worth the SIM data after an outage; older ones go.
        let health = fresh.filter { $0.kind == .health }
        if let newest = health.last, let report = try? decoder.decode(HealthReport.self, from: newest.payload) {
            let outbox = state.outbox
            _ = try? outbox.acknowledge(health.dropLast().map(\.id))
            channel.writeAndFlush(Message.healthReport(report)).whenSuccess { _ = try? outbox.acknowledge([newest.id]) }
        }
        fresh.forEach { sentIDs.insert($0.id) }
    }

    func send(_ message: Message, on channel: any Channel) {
        channel.writeAndFlush(message, promise: nil)
    }

    private func playItem(_ announcement: Announcement) -> PlayItem {
        let hex = announcement.sha256.description
        let duration = schedule?.contents.first { $0.sha256 == hex }?.durationMs
        return PlayItem(
            id: announcement.itemId, kind: .announcement, content: hex, priority: Priority(rawValue: announcement.priority),
            durationMs: duration, onBusy: announcement.onBusy, onInterrupt: announcement.onInterrupt,
            due: Date(timeIntervalSince1970: TimeInterval(announcement.startAt) / 1000),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(announcement.expiresAt) / 1000))
    }
}
