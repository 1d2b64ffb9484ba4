import Foundation
import Synchronization

/// The link's state as health, metrics, the API and the console show it: the upstream's
/// (connected, last success, last error, backoff) and each downstream's (last pull, chain).
/// Written by the link service and the link handlers, read by anyone; one lock.
public final class LinkMonitor: Sendable {
    public struct UpstreamState: Sendable, Equatable {
        public var url: String
        /// `connecting` before the first answer, `connected` after a success, `retrying` after a failure.
        public var state: String = "connecting"
        public var lastSuccess: Date?
        public var lastError: String?
        public var lastErrorCode: String?
        public var lastErrorAt: Date?
        public var failures = 0
        public var backoffSeconds: Double = 0
        public var cursor: Int64 = 0
        public var offersTaken = 0
        public var errorsTotal: [String: Int] = [:]
    }

    public struct DownstreamState: Sendable, Equatable {
        public var name: String
        public var areas: [String]
        public var lastPull: Date?
        public var lastCursor: Int64?
        public var chain: [String] = []
        public var refusals = 0
    }

    public let identity: String
    private let upstreamState: Mutex<UpstreamState?>
    private let downstreamStates: Mutex<[String: DownstreamState]>

    public init(settings: LinkSettings?) {
        identity = settings?.identity ?? ""
        upstreamState = Mutex(settings?.upstream.map { UpstreamState(url: $0.url.absoluteString) })
        downstreamStates = Mutex(Dictionary(uniqueKeysWithValues: (settings?.downstreams ?? []).map {
            ($0.name, DownstreamState(name: $0.name, areas: $0.areas))
        }))
    }

    public var upstream: UpstreamState? { upstreamState.withLock { $0 } }
    public var downstreams: [DownstreamState] { downstreamStates.withLock { $0.values.sorted { $0.name < $1.name } } }

    func updateUpstream(_ change: (inout UpstreamState) -> Void) {
        upstreamState.withLock { state in if state != nil { change(&state!) } }
    }

    /// A downstream pulled (or was refused for a cycle): its chain is what this controller's own
    /// pulls carry up.
    func downstreamPulled(_ name: String, chain: [String], cursor: Int64?, at: Date, refused: Bool = false) {
        downstreamStates.withLock { states in
            states[name]?.lastPull = at
            states[name]?.chain = chain
            if let cursor { states[name]?.lastCursor = cursor }
            if refused { states[name]?.refusals += 1 }
        }
    }

    /// The identities below this controller, as its downstreams last reported them.
    var chainsBelow: [[String]] { downstreamStates.withLock { $0.values.sorted { $0.name < $1.name }.map(\.chain) } }

    /// `/healthz`'s word for the upstream link: nil without an upstream.
    public var healthWord: String? { upstream?.state }
}
