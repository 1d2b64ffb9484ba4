import CALSA
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Owns one `snd_pcm_t` and closes it in exactly one place, its deinit.
///
/// Not thread-safe and not Sendable: `ALSAPlayback` and `ALSACapture` hold it behind their
/// own lock. The PCM stays in non-blocking mode so no call can hang forever; loops wait
/// for the device with `snd_pcm_wait` and a timeout instead.
final class ALSAPCMHandle {
    let raw: OpaquePointer
    let deviceName: String
    /// The in-memory configuration the PCM was opened from; freed after the PCM is closed.
    private let config: ALSAConfigTree?
    /// Frames per period and per buffer as the device granted them.
    private(set) var periodFrames = 0
    private(set) var bufferFrames = 0

    private init(raw: OpaquePointer, deviceName: String, config: ALSAConfigTree?) {
        self.raw = raw
        self.deviceName = deviceName
        self.config = config
    }

    deinit { snd_pcm_close(raw) }  // `config` is released after this, once the PCM is gone

    /// Opens `device` for `stream` in non-blocking mode (an open never waits for a busy device).
    static func open(_ device: ALSADevice, stream: snd_pcm_stream_t) throws(AudioError) -> ALSAPCMHandle {
        prepareALSALibrary()
        var pcm: OpaquePointer?
        let code: Int32
        var config: ALSAConfigTree?
        if let text = device.configText {
            let tree = try ALSAConfigTree(text: text, subject: "ALSA device '\(device.name)'")
            code = snd_pcm_open_lconf(&pcm, device.name, stream, SND_PCM_NONBLOCK, tree.raw)
            config = tree
        } else {
            code = snd_pcm_open(&pcm, device.name, stream, SND_PCM_NONBLOCK)
        }
        guard code >= 0, let pcm else { throw .alsa(device.name, code < 0 ? code : -5, "open") }
        return ALSAPCMHandle(raw: pcm, deviceName: device.name, config: config)
    }

    /// S16_LE interleaved at `format`, aiming for `latency` of buffering; ALSA picks the
    /// nearest period and buffer sizes the device supports.
    func configure(format: AudioFormat, latency: Duration) throws(AudioError) {
        let micros = max(1_000, latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000)
        let code = snd_pcm_set_params(
            raw, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED,
            UInt32(format.channels), UInt32(format.sampleRate), 1, UInt32(clamping: micros))
        guard code >= 0 else { throw .alsa(deviceName, code, "set \(format) S16_LE") }
        var buffer: snd_pcm_uframes_t = 0, period: snd_pcm_uframes_t = 0
        let got = snd_pcm_get_params(raw, &buffer, &period)
        guard got >= 0 else { throw .alsa(deviceName, got, "get params") }
        bufferFrames = Int(buffer)
        periodFrames = max(1, Int(period))
        // Without timestamps the position is still read, only less exactly: not worth failing for.
        _ = loa_alsa_enable_timestamps(raw)
        isNullBacked = loa_alsa_is_null_backed(raw) != 0
    }

    /// The PCM ends in a `null` PCM (a `type file` PCM, `null`): nothing paces it.
    private(set) var isNullBacked = false

    /// Frames queued ahead of the speaker at the instant this returns: the device's
    /// timestamped delay, less what played since its timestamp (CLOCK_MONOTONIC). Nil when
    /// ALSA cannot say.
    func measuredDelay(rate: Int) -> Double? {
        var delay = 0, stamp: Int64 = 0, running: Int32 = 0
        guard loa_alsa_position(raw, &delay, &stamp, &running) >= 0 else { return nil }
        guard running != 0, stamp > 0 else { return Double(max(0, delay)) }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let elapsed = Double(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - stamp) / 1e9
        // A stamp from the future or long ago (a driver without timestamps) is not trusted.
        guard (0..<0.5).contains(elapsed) else { return Double(max(0, delay)) }
        return max(0, Double(delay) - elapsed * Double(rate))
    }

    func write(_ samples: UnsafePointer<Int16>, frames: Int) -> Int {
        snd_pcm_writei(raw, samples, snd_pcm_uframes_t(frames))
    }

    func read(into samples: UnsafeMutablePointer<Int16>, frames: Int) -> Int {
        snd_pcm_readi(raw, samples, snd_pcm_uframes_t(frames))
    }

    /// 1 when ready, 0 on timeout, a negative error (e.g. -EPIPE on xrun) otherwise.
    func wait(milliseconds: Int32) -> Int32 { snd_pcm_wait(raw, milliseconds) }

    func recover(_ code: Int32) -> Int32 { snd_pcm_recover(raw, code, 1) }

    func prepare() -> Int32 { snd_pcm_prepare(raw) }

    func start() -> Int32 { snd_pcm_start(raw) }

    func drop() -> Int32 { snd_pcm_drop(raw) }

    var state: snd_pcm_state_t { snd_pcm_state(raw) }

    /// Drains in blocking mode (non-blocking drain returns at once with -EAGAIN), then
    /// returns to non-blocking. Bounded by what is queued, at most one buffer.
    func drainBlocking() -> Int32 {
        snd_pcm_nonblock(raw, 0)
        let code = snd_pcm_drain(raw)
        snd_pcm_nonblock(raw, 1)
        return code
    }

    /// Frames queued ahead of the speaker, or nil when ALSA cannot say (e.g. after an xrun).
    func delay() -> Int? {
        var frames: snd_pcm_sframes_t = 0
        return snd_pcm_delay(raw, &frames) >= 0 ? max(0, frames) : nil
    }
}
