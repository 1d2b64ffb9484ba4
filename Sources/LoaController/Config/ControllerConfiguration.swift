import Foundation

/// Everything `loa-controller` reads from its TOML file (docs/CONFIG-controller.md), with the
/// defaults a single-province deployment wants. Decoded by `ControllerConfiguration.load`,
/// overridden by `LOA_CONTROLLER_*` environment variables, checked by `validate()`.
public struct ControllerConfiguration: Sendable, Equatable {
    /// `[gateways]`: where gateways connect and how their liveness is judged.
    public struct Gateways: Sendable, Equatable {
        public var listenHost = "0.0.0.0"
        public var listenPort = 7420
        /// Heartbeat interval the controller tells each gateway in the handshake.
        public var heartbeatSeconds = 120
        /// A gateway silent this long is disconnected and shown offline; unset, three heartbeats
        /// (the protocol's silent-session timeout, docs/PROTOCOL.md §4). Never less than that.
        public var offlineAfterSeconds: Int?
        /// The silent-session timeout in force.
        public var offlineLimitSeconds: Int { offlineAfterSeconds ?? 3 * heartbeatSeconds }
        /// PEM files; both or neither. Without them the gateway protocol runs over plain TCP.
        public var tlsCertificate: String?
        public var tlsPrivateKey: String?
        /// Data bytes per content chunk sent to gateways.
        public var contentChunkBytes = 32 * 1024
        /// How often the schedule versions of connected gateways are re-read, so that changes made
        /// by another process (the `admin` subcommands) reach them; 0 turns it off.
        public var scheduleRecheckSeconds = 30
        public init() {}
    }

    /// `[state]`: where the controller keeps its data. Relative paths are under `directory`.
    public struct State: Sendable, Equatable {
        public var directory = "/var/lib/loa-controller"
        public var database = "controller.sqlite"
        /// Key that seals gateway secrets; keep it beside, not inside, database backups.
        public var keyFile = "secrets.key"
        public var contentDirectory = "content"
        public init() {}
    }

    /// `[audio]`: the deployment's transport format and how uploads are normalised.
    public struct Audio: Sendable, Equatable {
        public var sampleRate = 24_000
        public var channels = 1
        public var bitrateKbps = 48
        public var loudnessTargetLUFS = -16.0
        public var truePeakCeilingDBTP = -1.0
        public var maxUploadBytes = 200 * 1024 * 1024
        public var maxDurationSeconds = 3_600
        /// Uploads decoded and encoded at once, each on a thread of its own.
        public var ingestWorkers = 1
        /// Uploads held at once (bodies arriving, waiting, processing); one more is refused with 503.
        public var ingestQueueLength = 4
        public init() {}
    }

    /// `[bulletins]`: the editorial workflow.
    public struct Bulletins: Sendable, Equatable {
        /// When false, an ingested bulletin is approved at once.
        public var approvalRequired = true
        /// IANA zone in which schedule dates and times are read.
        public var timeZone = "Asia/Ho_Chi_Minh"
        public init() {}
    }

    /// `[http]`: the HTTP API that `loactl` and the web console use.
    public struct HTTP: Sendable, Equatable {
        /// `host:port` (`[::1]:8080` for IPv6); port 0 picks a free one (tests).
        public var listen = "127.0.0.1:8080"
        /// How long a login token stays valid.
        public var tokenTTLSeconds = 43_200
        /// Larger request bodies (bulletin uploads) are refused with 413 before they are read in full.
        public var maxUploadBytes = 100 * 1024 * 1024
        /// Serve the web console at `/` and `/console/`.
        public var console = true
        /// `/metrics` without a token (keep the port firewalled); false requires an admin token.
        public var metricsPublic = true
        public init() {}
    }

    /// `[live]`: live broadcasts relayed from a studio encoder.
    public struct Live: Sendable, Equatable {
        /// Jitter buffer of every gateway: a stream sounds this long after its first audio reached the controller.
        public var delayMs = 2_000
        /// The upstream hosts a relay may pull from (names or addresses, as written in the URL);
        /// empty: any. Narrow it so that an operator account cannot make the controller fetch
        /// addresses it should not reach.
        public var relayHosts: [String] = []
        /// A relay's upstream that sends nothing for this long has dropped.
        public var relayStallTimeoutSeconds = 10
        /// How long a relay that was on air keeps reconnecting to a dropped upstream; 0 ends it at once.
        public var relayReconnectSeconds = 30
        /// A relay's upstream below this level (RMS, dBFS) …
        public var relaySilenceDBFS = -50
        /// … for this many seconds in a row is reported silent (log, metric); 0 never.
        public var relaySilenceSeconds = 30
        /// Whether a silent upstream also ends the relay (its gateways fall back as after any end).
        public var relayEndOnSilence = false
        /// The Icecast-compatible port for studio encoders (SOURCE/PUT) and HTTP/1.0 listeners,
        /// as host:port; empty: off.
        public var icecastListen = ""
        /// ALSA capture PCMs of this machine an operator may go live from (`captureDevice`).
        public var captureDevices: [String] = []
        /// Listeners of listen URLs served at once, over all streams; one more gets 503.
        public var maxListeners = 200
        public init() {}
    }

    /// `[play_log]`: the as-played log.
    public struct PlayLog: Sendable, Equatable {
        /// An occurrence of a gateway offline for its whole window, and not reported by it, is
        /// recorded `missed` (by the controller) this long after it ended; 0 never does.
        public var missedAfterSeconds = 3_600
        public init() {}
    }

    /// `[link]`: this controller as the level above of other controllers (docs/CONFIG-controller.md).
    public struct Link: Sendable, Equatable {
        /// This controller's identity in link chains (cycle refusal); required once a link is set.
        public var identity = ""
        /// The downstreams accepted: `"NAME sha256:HEX AREA[,AREA…]"` (or `key:TEXT`).
        public var downstreams: [String] = []
        public init() {}
    }

    /// `[upstream]`: this controller's own level above, which it dials.
    public struct Upstream: Sendable, Equatable {
        /// http:// or https:// base URL of the upstream's API; empty: no upstream.
        public var url = ""
        /// The name the upstream knows this link by.
        public var name = ""
        /// The link key, or a file holding it (one of the two).
        public var key = ""
        public var keyFile = ""
        public var pollSeconds = 10
        public var backoffMaxSeconds = 300
        /// `"UPSTREAM-AREA = LOCAL-AREA"` entries.
        public var areaMap: [String] = []
        public init() {}
    }

    /// `[log]`.
    public struct Log: Sendable, Equatable {
        /// trace, debug, info, notice, warning, error or critical.
        public var level = "info"
        public init() {}
    }

    public var gateways = Gateways()
    public var state = State()
    public var audio = Audio()
    public var bulletins = Bulletins()
    public var http = HTTP()
    public var live = Live()
    public var playLog = PlayLog()
    public var link = Link()
    public var upstream = Upstream()
    public var log = Log()

    public init() {}
}

extension ControllerConfiguration {
    /// `state.database` resolved against `state.directory`.
    public var databasePath: String { resolve(state.database) }
    public var keyFilePath: String { resolve(state.keyFile) }
    public var contentDirectoryPath: String { resolve(state.contentDirectory) }

    /// `http.listen` split into host and port; nil when it is not `host:port`.
    public var httpListenAddress: (host: String, port: Int)? { Self.parseListen(http.listen) }
    /// Nil when `live.icecast_listen` is empty (off) or malformed (refused at load).
    public var icecastListenAddress: (host: String, port: Int)? { Self.parseListen(live.icecastListen) }

    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        return (host, port)
    }

    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: state.directory).appendingPathComponent(path).path
    }
}
