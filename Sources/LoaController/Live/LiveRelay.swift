import Foundation
import LoaAudio
import LoaUpstream
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// A relay ("tiếp sóng"): pulls a live stream's upstream URL with FFmpeg (`UpstreamAudioReader`,
/// network protocols only) on a thread of its own and feeds what it decodes through the same
/// pump as an encoder's MP3 — transcode, go on air, packetise, pace, fan out. The pump's pacing
/// holds an upstream that runs ahead of real time, so nothing buffers without bound.
///
/// An upstream that fails before any audio ends the stream at once with the reason (refused,
/// 404, not audio …). One that drops after going on air — an error, a stall or an end, since
/// live radio does not end by itself — is reopened with capped backoff for
/// `LiveSettings.relayReconnectFor` while the gateways ride the gap on their live grace; then
/// the stream ends with the last reason. An upstream that stays below `relaySilenceDBFS` for
/// `relaySilenceAfter` is reported (log, `loa_live_relay_silences_total`) and, with
/// `relayEndsOnSilence`, ends the relay (`SilenceWatch`). A stop closes the upstream.
final class LiveRelay: Sendable {
    let stream: LiveStream
    let url: String
    let hub: LiveHub
    let logger: Logger
    private let reader = NIOLockedValueBox<UpstreamAudioReader?>(nil)
    private let stopped = NIOLockedValueBox(false)

    init(stream: LiveStream, url: String, hub: LiveHub, logger: Logger) {
        self.stream = stream
        self.url = url
        self.hub = hub
        var logger = logger
        logger[metadataKey: "live.id"] = "\(stream.id)"
        self.logger = logger
    }

    /// The hub's close-source action: ends the current wait on the upstream.
    func stop() {
        stopped.withLockedValue { $0 = true }
        reader.withLockedValue { $0 }?.cancel()
    }

    private var isStopped: Bool { stopped.withLockedValue { $0 } }

    /// Runs until the stream is stopped or the upstream is given up; the stream is ended either way.
    func run() async {
        do {
            _ = try await hub.attachSource(stream.id, closeSource: { [self] in stop() })
        } catch {
            logger.notice("relay not started", metadata: ["error": "\(error)"])
            return
        }
        let pump: LiveSourcePump
        do {
            pump = try LiveSourcePump(streamID: stream.id, hub: hub, now: hub.now, notBefore: stream.windowStart)
        } catch {
            await hub.end(stream.id, reason: LiveEndReason.sourceEnded, storedReason: "relay failed: \(error)", origin: .controller)
            return
        }
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let failure = await relay(into: pump, on: thread)
        try? await thread.shutdownGracefully()
        guard !isStopped else { return }  // the hub ended it
        if pump.onAir { try? await pump.finishPCM() }
        let reason = "relay ended: " + (failure ?? "the upstream ended")
        logger.notice("relay ended", metadata: ["reason": "\(reason)"])
        await hub.end(stream.id, reason: LiveEndReason.sourceEnded, storedReason: reason, origin: .controller, closeSource: false)
    }

    /// Opens and reads the upstream, reopening after a drop while allowed. Returns why it
    /// stopped (nil when the upstream ended cleanly and reconnecting is off, or on a stop).
    private func relay(into pump: LiveSourcePump, on thread: NIOThreadPool) async -> String? {
        let settings = hub.settings
        var silence = SilenceWatch(thresholdDBFS: settings.relaySilenceDBFS, after: settings.relaySilenceAfter.inSeconds)
        let format = AudioFormat(sampleRate: settings.encoder.sampleRate, channels: settings.encoder.channels)
        var lastFailure: UpstreamError?
        var droppedAt: ContinuousClock.Instant?
        var backoff = Duration.milliseconds(500)
        // Bytes the earlier connections delivered: each reopened reader counts from zero.
        var bytesBefore = 0
        while !isStopped {
            let upstream = UpstreamAudioReader(url: url, settings: .init(format: format, stallTimeout: settings.relayStallTimeout,
                                                                            protocols: UpstreamAudioReader.Settings.networkProtocols))
            reader.withLockedValue { $0 = upstream }
            if isStopped { upstream.cancel() }
            defer { bytesBefore += upstream.bytesRead }
            do {
                try await thread.runIfActive { try upstream.open() }
                logger.notice("relay upstream open", metadata: ["relay.url": "\(url)", "relay.source": "\(upstream.source)"])
                while true {
                    let (pcm, bytes) = try await thread.runIfActive { (try upstream.read(), upstream.bytesRead) }
                    guard let pcm else { break }
                    let change = silence.observe(pcm)
                    if let ended = noticeSilence(change, endsRelay: settings.relayEndsOnSilence) { return ended }
                    switch change {
                    case .silent(let seconds): await hub.silent(stream.id, since: hub.now().addingTimeInterval(-seconds))
                    case .soundBack: await hub.silent(stream.id, since: nil)
                    case .none: break
                    }
                    droppedAt = nil
                    backoff = .milliseconds(500)
                    guard try await pump.feed(pcm: pcm, upstreamBytes: bytesBefore + bytes) else { return nil }  // stopped
                }
                lastFailure = nil
                logger.notice("relay upstream ended", metadata: ["relay.url": "\(url)"])
            } catch let error as UpstreamError {
                if case .cancelled = error { return nil }
                lastFailure = error
                logger.warning("relay upstream failed", metadata: ["relay.url": "\(url)", "error": "\(error)"])
            } catch let error as LiveSourceError {
                return "\(UpstreamError.decodeFailed(url: url, reason: error.description))"
            } catch {
                return "\(UpstreamError.decodeFailed(url: url, reason: "\(error)"))"
            }
            // Before any audio there is nothing to keep on air: the reason goes to the operator now.
            guard pump.onAir, settings.relayReconnectFor > .zero else { return lastFailure.map { "\($0)" } }
            let since = droppedAt ?? .now
            droppedAt = since
            guard ContinuousClock.now - since < settings.relayReconnectFor else { return lastFailure.map { "\($0)" } }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
        return nil
    }

    /// Logs and counts a silence of the upstream, and its end; returns the end reason when a
    /// silence ends the relay.
    private func noticeSilence(_ change: SilenceWatch.Change, endsRelay: Bool) -> String? {
        switch change {
        case .none:
            return nil
        case .silent(let seconds):
            let quiet = String(format: "%.0f", seconds)
            logger.warning("relay upstream silent", metadata: ["relay.url": "\(url)", "silent.s": "\(quiet)", "ends.relay": "\(endsRelay)"])
            hub.audience.countRelaySilent()
            return endsRelay ? "the upstream was silent for \(quiet) s" : nil
        case .soundBack(let seconds):
            logger.notice("relay upstream sound again", metadata: ["relay.url": "\(url)", "silent.s": "\(String(format: "%.0f", seconds))"])
            return nil
        }
    }
}
