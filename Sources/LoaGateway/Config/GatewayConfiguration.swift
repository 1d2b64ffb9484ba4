#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `loa-gateway` reads from its TOML file (docs/CONFIG-gateway.md), with the
/// defaults a commune gateway uses. Decoded by `load(path:environment:)`, which also applies
/// `LOA_GW_*` environment overrides and validates every key in one place (`DaemonConfiguration`).
public struct GatewayConfiguration: Sendable, Equatable {
    /// `[gateway]`: who this gateway is and where it keeps its state.
    public struct Gateway: Sendable, Equatable {
        public var id = ""
        /// The per-gateway secret as text (its UTF-8 bytes key the HMAC); or use `secretFile`.
        public var secret: String?
        public var secretFile: String?
        public var stateDirectory = "/var/lib/loa-gateway"
        public var logLevel = "info"
    }

    /// `[controller]`: where to dial and how.
    public struct Controller: Sendable, Equatable {
        /// "host:port", tried in order; the next one after a failure.
        public var hosts: [String] = []
        public var tls = false
        /// PEM CA bundle that signs the controller's certificate; nil = system trust store.
        public var caFile: String?
        public var handshakeTimeoutSeconds = 15
        public var clockSyncSeconds = 1_800
        /// One clock exchange this often while timed audio plays or is near (0 = only the rounds).
        public var clockSyncBusySeconds = 2
        public var reconnectBaseMs = 1_000
        public var reconnectCapSeconds = 300
    }

    /// `[audio]`: the ALSA output.
    public struct Audio: Sendable, Equatable {
        public var pcm = "default"
        /// ALSA configuration text defining `pcm` (replaces the system configuration).
        public var alsaConfig: String?
        /// A file holding such text.
        public var alsaConfigFile: String?
        /// Mixer element for the volume; nil = software volume.
        public var mixerElement: String?
        public var latencyMs = 200
        /// How long a live stream may go quiet (silence, amplifier on) before the player falls
        /// back to what it had preempted.
        public var liveFallbackMs = 5_000
        /// Test and benchmark knob only: make the output's crystal run this many ppm fast
        /// (negative: slow) by resampling what is written (`SimulatedSkewOutput`); 0 = off.
        public var simulatedSkewPpm = 0.0
    }

    /// `[amplifier]`: the relay that powers the horns.
    public struct Amplifier: Sendable, Equatable {
        /// "none", "gpio" (write 1/0 to `gpioValueFile`) or "command" (run on/off commands).
        public var mode = "none"
        public var gpioValueFile: String?
        public var onCommand: String?
        public var offCommand: String?
        public var preRollMs = 2_000
        public var idleOffSeconds = 30
    }

    /// `[cache]`: the content cache on disk.
    public struct Cache: Sendable, Equatable {
        public var quotaMB = 2_048
    }

    /// `[health]`: reports to the controller.
    public struct Health: Sendable, Equatable {
        public var intervalSeconds = 900
    }

    /// `[control]`: the technician's local socket (`loactl gateway …`).
    public struct Control: Sendable, Equatable {
        /// Unix socket path; empty = no control socket.
        public var socket = "/run/loa-gateway/control.sock"
        /// Group given the socket (mode 0660); empty = the daemon's own group.
        public var group = "loa"
    }

    public var gateway = Gateway()
    public var controller = Controller()
    public var audio = Audio()
    public var amplifier = Amplifier()
    public var cache = Cache()
    public var health = Health()
    public var control = Control()

    public init() {}
}
