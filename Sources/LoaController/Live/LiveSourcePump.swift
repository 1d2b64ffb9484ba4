import Foundation
import LoaAudio
import LoaProtocol

/// One connected source, from request bytes to the hub: transcodes, goes on air at the first
/// decoded audio (`startAt` = now + delay), cuts payloads, times them with `LiveStreamClock`,
/// holds them back when the source runs ahead of real time (so TCP slows the encoder down
/// instead of gateways buffering without bound), and hands them to the hub. Lives in the source
/// request's task; not shared.
final class LiveSourcePump {
    let streamID: Int64
    let hub: LiveHub
    let transcoder: LiveTranscoder
    private var packetizer: LivePacketizer
    private(set) var clock: LiveStreamClock
    private let now: @Sendable () -> Date
    /// The stream does not sound before this (a scheduled relay's window start).
    private let notBefore: Date?
    /// True once `liveStart` went out.
    private(set) var onAir = false
    /// False once the hub closed the stream (stopped), so the source should stop.
    private(set) var open = true
    private(set) var payloads = 0

    init(streamID: Int64, hub: LiveHub, now: @escaping @Sendable () -> Date, notBefore: Date? = nil) throws(LiveSourceError) {
        self.streamID = streamID
        self.hub = hub
        self.now = now
        self.notBefore = notBefore
        let settings = hub.settings
        transcoder = try LiveTranscoder(target: settings.encoder, sniffBytes: settings.sniffBytes)
        packetizer = LivePacketizer(sampleRate: settings.encoder.sampleRate, payloadMs: settings.payloadMs)
        clock = LiveStreamClock(sampleRate: settings.encoder.sampleRate, delayMs: settings.delayMs)
    }

    /// Feeds source bytes; false when the stream has been stopped and reading should end.
    func feed(_ bytes: [UInt8]) async throws(LiveSourceError) -> Bool {
        let frames = try transcoder.feed(bytes)
        return await forward(frames, ending: false)
    }

    /// The source's request ended: the last frames go out.
    func finish() async throws(LiveSourceError) {
        let frames = try transcoder.finish()
        _ = await forward(frames, ending: true)
    }

    /// A relay's decoded upstream audio; false when the stream has been stopped.
    func feed(pcm: PCMBuffer, upstreamBytes: Int) async throws(LiveSourceError) -> Bool {
        let frames = try transcoder.feed(pcm: pcm, upstreamBytes: upstreamBytes)
        return await forward(frames, ending: false)
    }

    /// A relay's upstream ended for good: the last frames go out.
    func finishPCM() async throws(LiveSourceError) {
        let frames = try transcoder.finishPCM()
        _ = await forward(frames, ending: true)
    }

    private func forward(_ frames: [LiveTranscoder.Frame], ending: Bool) async -> Bool {
        guard open else { return false }
        if !onAir {
            guard transcoder.hasAudio else {
                await hub.received(streamID, bytes: Int64(transcoder.receivedBytes))
                return true
            }
            let startAt = clock.start(firstAudioAtMs: now().millisecondsSince1970, notBeforeMs: notBefore?.millisecondsSince1970)
            guard await hub.goOnAir(streamID, startAtMs: startAt) != nil else {
                open = false
                return false
            }
            onAir = true
        }
        var ready: [LivePacketizer.Payload] = []
        for frame in frames {
            if let payload = packetizer.add(frame: frame.bytes, samples: frame.samples) { ready.append(payload) }
        }
        if ending, let last = packetizer.flush() { ready.append(last) }
        for payload in ready {
            let nowNs = Self.nanoseconds(now())
            let pts = clock.nextPresentationTime(payloadSamples: payload.samples, nowNs: nowNs)
            let hold = clock.holdUntil(presentationTime: pts) - nowNs
            if hold > 0 { try? await Task.sleep(for: .nanoseconds(hold)) }
            let audio = LiveAudio(streamId: UInt32(truncatingIfNeeded: streamID), sequence: payload.sequence,
                                  presentationTime: pts, mp3: payload.mp3)
            guard await hub.publish(streamID, audio, bytesReceived: Int64(transcoder.receivedBytes)) else {
                open = false
                return false
            }
            payloads += 1
        }
        if ready.isEmpty { await hub.received(streamID, bytes: Int64(transcoder.receivedBytes)) }
        return true
    }

    static func nanoseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000_000).rounded())
    }
}
