import Foundation
import LoaAudio
import LoaProtocol

/// A live stream made in the test as the controller makes one: a tone encoded with LAME at the
/// speech format, cut into whole MP3 frames (the Info tag frame left out), grouped ~240 ms per
/// payload, with presentation times from `startAt` by the samples before each payload.
struct LiveTestStream {
    let streamId: UInt32
    let startAtMs: Int64
    let payloads: [LiveAudio]
    /// What one decoder makes of all payloads in order: what a gateway plays without a loss.
    let decoded: PCMBuffer
    let samplesPerFrame: Int
    let framesPerPayload: Int

    static func make(streamId: UInt32 = 7, seconds: Double, startAtMs: Int64, framesPerPayload: Int = 10,
                     frequency: Double = 440) throws -> LiveTestStream {
        let format = AudioFormat.speech
        let count = Int(seconds * Double(format.sampleRate))
        let samples = (0..<count).map { Float(0.3 * sin(2 * Double.pi * frequency * Double($0) / Double(format.sampleRate))) }
        let bytes = try MP3Encoder.encodeAll(PCMBuffer(format: format, samples: samples), settings: .speech)
        var splitter = MP3FrameSplitter()
        let frames = (splitter.append(bytes) + splitter.finish()).filter { !$0.isTagFrame }
        let perFrame = frames.first?.header.samplesPerFrame ?? 576
        var payloads: [LiveAudio] = []
        var before = 0
        for (index, start) in stride(from: 0, to: frames.count, by: framesPerPayload).enumerated() {
            let group = frames[start..<min(start + framesPerPayload, frames.count)]
            let pts = startAtMs * 1_000_000 + Int64(before) * 1_000_000_000 / Int64(format.sampleRate)
            payloads.append(LiveAudio(streamId: streamId, sequence: UInt32(index), presentationTime: pts,
                                      mp3: group.flatMap(\.bytes)))
            before += group.count * perFrame
        }
        let decoded = try MP3Decoder.decodeAll(payloads.flatMap(\.mp3))
        return LiveTestStream(streamId: streamId, startAtMs: startAtMs, payloads: payloads, decoded: decoded,
                              samplesPerFrame: perFrame, framesPerPayload: framesPerPayload)
    }

    /// The same stream starting at `startAtMs` instead (encoding can take longer than a test's lead).
    func retimed(startAtMs: Int64) -> LiveTestStream {
        let shift = (startAtMs - self.startAtMs) * 1_000_000
        let moved = payloads.map { LiveAudio(streamId: $0.streamId, sequence: $0.sequence,
                                             presentationTime: $0.presentationTime + shift, mp3: $0.mp3) }
        return LiveTestStream(streamId: streamId, startAtMs: startAtMs, payloads: moved, decoded: decoded,
                              samplesPerFrame: samplesPerFrame, framesPerPayload: framesPerPayload)
    }

    func start(priority: UInt8 = 170, onBusy: BusyPolicy = .preempt, onInterrupt: InterruptPolicy = .drop) -> LiveStart {
        LiveStart(streamId: streamId, priority: priority, startAt: startAtMs, sampleRate: 24_000, channels: 1,
                  bitrateKbps: 48, onBusy: onBusy, onInterrupt: onInterrupt)
    }

    var itemId: String { "live-\(streamId)" }
}
