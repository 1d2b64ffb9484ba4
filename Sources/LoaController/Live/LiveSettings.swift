import LoaAudio

/// How the controller relays live streams: the deployment's MP3 format, the jitter buffer every
/// gateway gets (`[live] delay_ms`), the payload size and the per-gateway backlog limit.
public struct LiveSettings: Sendable, Equatable {
    /// What the source is transcoded to (the deployment format, the same as bulletins).
    public var encoder: MP3EncoderSettings
    /// `startAt` = first source audio + this: the gateways' jitter buffer.
    public var delayMs: Int
    /// Audio per `liveAudio` payload (whole frames, so about this much).
    public var payloadMs: Int
    /// The most source bytes a stream may send before its first MP3 frame (beyond ID3 tags);
    /// more means it is not MP3 and is refused (415).
    public var sniffBytes: Int

    /// A relay's upstream that sends nothing for this long has dropped.
    public var relayStallTimeout: Duration
    /// How long a relay that was on air keeps reconnecting to a dropped upstream (with capped
    /// backoff; the gateways ride the gap on their live grace) before it ends; 0 ends at once.
    public var relayReconnectFor: Duration
    /// An upstream below `relaySilenceDBFS` for `relaySilenceAfter` is reported silent (zero:
    /// never) and, with `relayEndsOnSilence`, the relay ends.
    public var relaySilenceDBFS: Double = -50
    public var relaySilenceAfter: Duration = .seconds(30)
    public var relayEndsOnSilence = false

    public static let defaultDelayMs = 2_000
    public static let delayRange = 200...10_000

    /// The payload size for a live delay: a payload leaves the controller only once it is
    /// full, so its length is spent from the delay before the network sees it. A fifth of the
    /// delay, between one MP3 frame's worth (24 ms) and 240 ms: 240 ms at the default 2 s (about
    /// four messages a second), 100 ms at 500 ms, 40 ms at 200 ms.
    public static func payloadMs(forDelay delayMs: Int) -> Int { min(240, max(24, delayMs / 5)) }

    public init(encoder: MP3EncoderSettings = .speech, delayMs: Int = LiveSettings.defaultDelayMs, payloadMs: Int = 240,
                sniffBytes: Int = 16 * 1024, relayStallTimeout: Duration = .seconds(10), relayReconnectFor: Duration = .seconds(30)) {
        self.encoder = encoder
        self.delayMs = delayMs
        self.payloadMs = payloadMs
        self.sniffBytes = sniffBytes
        self.relayStallTimeout = relayStallTimeout
        self.relayReconnectFor = relayReconnectFor
    }

    /// The bitrate `liveStart` announces (0 for VBR, which the deployment does not use).
    public var bitrateKbps: UInt16 {
        if case .constant(let kbps) = encoder.bitrate { return UInt16(clamping: kbps) }
        return 0
    }

    /// Listeners of listen URLs the controller serves at once, over all streams (`live.max_listeners`).
    public var maxListeners = 200
    /// Payloads (about `payloadMs` each) a listener may fall behind before it is cut loose.
    public var listenerBacklog = 40

    /// The controller's microphones an operator may go live from, by the name the API takes
    /// (`live.capture_devices`: ALSA PCM names of the system configuration; tests define PCMs in
    /// memory). Empty: none. A list, because an ALSA name can also open plugins that read files.
    public var captureDevices: [String: ALSADevice] = [:]

    /// The upstream hosts a relay may pull from; empty: any (`live.relay_hosts`).
    public var relayHosts: [String] = []

    /// A browser's microphone (`POST /api/v1/live/{id}/segments`) that sends no segment for this
    /// long has gone (tab closed, network lost): its stream ends. The console sends one every 0.5 s.
    public var browserSourceTimeout: Duration = .seconds(5)
    /// The most audio one browser segment may hold.
    public var browserSegmentMaxSeconds: Double = 2

    public init(_ configuration: ControllerConfiguration) {
        let live = configuration.live
        self.init(encoder: configuration.encoderSettings, delayMs: live.delayMs, payloadMs: Self.payloadMs(forDelay: live.delayMs),
                  relayStallTimeout: .seconds(live.relayStallTimeoutSeconds), relayReconnectFor: .seconds(live.relayReconnectSeconds))
        relayHosts = live.relayHosts
        relaySilenceDBFS = Double(live.relaySilenceDBFS)
        relaySilenceAfter = .seconds(live.relaySilenceSeconds)
        relayEndsOnSilence = live.relayEndOnSilence
        maxListeners = live.maxListeners
        captureDevices = Dictionary(live.captureDevices.map { ($0, ALSADevice.named($0)) }, uniquingKeysWith: { first, _ in first })
    }
}
