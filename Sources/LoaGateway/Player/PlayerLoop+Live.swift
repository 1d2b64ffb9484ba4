#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import LoaSchedule

/// Live streams in the player (docs/PROTOCOL.md "Announcements and live"): `liveStart` hands
/// the item `live-<streamId>` to the arbiter like an announcement; `liveAudio` fills the
/// stream's jitter buffer; the `LiveRenderer` plays it and says when it runs dry (the arbiter's
/// `liveSourceLost`, grace `[audio] live_fallback_ms`); audio arriving again is
/// `liveSourceBack`; `liveEnd` lets the renderer play out what is buffered, then the item ends
/// `finished`. All of it runs on the player thread, in its `PlayerLoop`.
extension PlayerLoop {
    func liveStarted(_ start: LiveStart, now: Date) -> [PlayoutAction] {
        let id = start.streamId
        if liveStreams[id] != nil || endedStreams.contains(id) {
            logger.debug("liveStart for a known stream ignored", metadata: ["live.stream": "\(id)"])
            return []
        }
        let stream = ReceivedLiveStream(start: start)
        liveStreams[id] = stream
        mailbox.follow(stream)
        logger.info("live stream announced", metadata: [
            "item.id": "\(stream.itemId)", "priority": "\(start.priority)", "start.at": "\(start.startAt)",
            "format": "\(start.sampleRate) Hz \(start.channels) ch \(start.bitrateKbps) kbit/s"])
        return planner.itemDue(stream.playItem, now: now)
    }

    func liveAudio(_ audio: LiveAudio, now: Date) -> [PlayoutAction] {
        guard let stream = liveStreams[audio.streamId] else {
            if endedStreams.contains(audio.streamId) {
                logger.debug("live audio after the stream ended dropped", metadata: ["live.stream": "\(audio.streamId)"])
            } else if warnedStreams.insert(audio.streamId).inserted {
                logger.warning("live audio for a stream without liveStart dropped (warned once per stream)",
                               metadata: ["live.stream": "\(audio.streamId)", "live.sequence": "\(audio.sequence)"])
            }
            return []
        }
        guard let payload = LiveJitterBuffer.Payload(audio) else {
            logger.warning("live payload without MP3 frames dropped", metadata: [
                "item.id": "\(stream.itemId)", "live.sequence": "\(audio.sequence)", "bytes": "\(audio.mp3.count)"])
            return []
        }
        let insertion = stream.insert(payload, now: clock.now())
        guard case .queued(let lost) = insertion else {
            logger.debug("live payload not buffered", metadata: [
                "item.id": "\(stream.itemId)", "live.sequence": "\(audio.sequence)", "reason": "\(insertion)"])
            return []
        }
        if lost > 0 {
            logger.notice("live payloads lost", metadata: [
                "item.id": "\(stream.itemId)", "lost": "\(lost)", "before.sequence": "\(audio.sequence)"])
        }
        guard quietItems.remove(stream.itemId) != nil else { return [] }
        logger.info("live source back", metadata: ["item.id": "\(stream.itemId)"])
        return planner.liveSourceBack(stream.itemId, now: now)
    }

    func liveEnded(_ end: LiveEnd, now: Date) -> [PlayoutAction] {
        guard let stream = liveStreams[end.streamId] else {
            logger.debug("liveEnd for an unknown stream ignored", metadata: ["live.stream": "\(end.streamId)"])
            return []
        }
        stream.end()
        endedStreams.insert(end.streamId)
        logger.info("live stream ended", metadata: ["item.id": "\(stream.itemId)", "reason": "\(end.reason ?? "none")",
                                                    "lost": "\(stream.lostPayloads)", "late": "\(stream.latePayloads)"])
        // Holding the gateway: the renderer plays out the buffer, then the item finishes. Not yet
        // due with audio buffered (a short stream sent ahead): it plays that when due.
        if planner.machine.currentItem?.id == stream.itemId { return [] }
        if stream.playItem.due > now, !stream.isEmpty { return [] }
        liveStreams[end.streamId] = nil
        quietItems.remove(stream.itemId)
        return planner.streamEnded(stream.itemId, now: now)
    }

    func liveQuiet(_ itemId: String, now: Date) -> [PlayoutAction] {
        guard liveRenderer?.itemId == itemId, planner.machine.currentItem?.id == itemId,
              let id = ReceivedLiveStream.streamId(of: itemId), let stream = liveStreams[id],
              stream.isEmpty, !stream.ended else { return [] }
        quietItems.insert(itemId)
        logger.warning("live source quiet; playing silence", metadata: ["item.id": "\(itemId)"])
        return planner.liveSourceLost(itemId, now: now)
    }

    /// The arbiter starts (or restarts) a live item: a renderer joins the stream where it is now.
    func startLive(_ item: PlayItem) {
        guard let id = ReceivedLiveStream.streamId(of: item.id), let stream = liveStreams[id] else {
            // Its stream is gone (ended while the item waited for the amplifier): nothing to play.
            mailbox.post(.rendered(itemId: item.id, .finished(positionMs: 0)))
            return
        }
        liveRenderer?.cancel()
        quietItems.remove(item.id)
        logger.info("playing live", metadata: ["item.id": "\(item.id)"])
        let renderer = LiveRenderer(stream: stream, output: output, logger: logger, now: { [clock] in clock.now() },
                                    signal: { [mailbox] _ in mailbox.post(.liveQuiet(itemId: item.id)) }, timeline: timeline)
        liveRenderer = renderer
        renderer.start { [mailbox] outcome in mailbox.post(.rendered(itemId: item.id, outcome)) }
    }

    /// A live item of an ended stream was discarded without playing (dropped, expired): forget the stream.
    func liveItemDiscarded(_ event: PlayoutEvent) {
        switch event.kind {
        case .dropped, .expired: break
        default: return
        }
        guard let id = ReceivedLiveStream.streamId(of: event.itemId), liveStreams[id]?.ended == true else { return }
        liveStreams[id] = nil
        quietItems.remove(event.itemId)
    }

    /// After a live item's renderer ended on its own: an ended stream is forgotten.
    func liveItemEnded(_ itemId: String, _ outcome: BulletinRenderer.Outcome) {
        if case .cancelled = outcome { return }
        guard let id = ReceivedLiveStream.streamId(of: itemId), let stream = liveStreams[id] else { return }
        if case .failed(_, let reason) = outcome {
            logger.error("live playback failed", metadata: ["item.id": "\(itemId)", "error": "\(reason)"])
        }
        if stream.ended { liveStreams[id] = nil }
    }
}
