import Foundation

/// A live broadcast: an operator opens it for an area, a studio encoder pushes MP3 to it, the
/// controller relays it to the area's gateways until the source ends or someone stops it.
/// Its id is the protocol's `streamId` (never reused: the table is AUTOINCREMENT).
public struct LiveStream: Sendable, Equatable, Identifiable {
    public enum State: String, Sendable, CaseIterable {
        /// Created; no audio has arrived yet.
        case waiting
        /// Audio is being relayed.
        case onAir = "on-air"
        case ended
    }

    public var id: Int64
    public var areaID: String
    public var title: String
    public var priority: UInt8
    public var onBusy: BusyPolicy
    public var onInterrupt: InterruptPolicy
    public var state: State
    public var createdBy: String
    public var createdAt: Date
    public var startedAt: Date?
    public var endedAt: Date?
    public var endReason: String?
    /// SHA-256 (lowercase hex) of the source key; the key itself is shown once and never stored.
    public var sourceKeySHA256: String
    /// Source bytes received, stored when the stream ends.
    public var bytesReceived: Int64
    /// A relay's upstream (http or https), which the controller pulls; nil for a stream an
    /// encoder pushes to its source path.
    public var relayURL: String?
    /// Lets anyone holding it hear the stream (`GET /api/v1/live/{id}/listen?key=…`); kept as
    /// text, since it is shown to every operator who can see the stream. Nil for streams created
    /// before listen URLs existed.
    public var listenKey: String?
    /// The controller's microphone: an ALSA capture PCM (one of `live.capture_devices`) the
    /// controller records and encodes; nil for other sources.
    public var captureDevice: String?
    /// The scheduled relay (`RelaySchedule`) and window this stream was opened for.
    public var relayScheduleID: Int64?
    public var windowStart: Date?
    /// The program item (`program-<id>.<position>`) this relay was opened for; nil otherwise.
    public var programItem: String?

    public init(id: Int64, areaID: String, title: String, priority: UInt8, onBusy: BusyPolicy, onInterrupt: InterruptPolicy,
                state: State, createdBy: String, createdAt: Date, startedAt: Date? = nil, endedAt: Date? = nil,
                endReason: String? = nil, sourceKeySHA256: String, bytesReceived: Int64 = 0, relayURL: String? = nil,
                listenKey: String? = nil, captureDevice: String? = nil, relayScheduleID: Int64? = nil, windowStart: Date? = nil,
                programItem: String? = nil) {
        self.id = id
        self.programItem = programItem
        self.relayScheduleID = relayScheduleID
        self.windowStart = windowStart
        self.areaID = areaID
        self.title = title
        self.priority = priority
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
        self.state = state
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.sourceKeySHA256 = sourceKeySHA256
        self.bytesReceived = bytesReceived
        self.relayURL = relayURL
        self.listenKey = listenKey
        self.captureDevice = captureDevice
    }

    /// The item id gateways use for it in play events (`live-7`).
    public var itemID: String { Self.itemID(forStream: id) }

    public static func itemID(forStream id: Int64) -> String { "live-\(id)" }
}

/// What an operator gives to open a live stream.
public struct NewLiveStream: Sendable, Equatable {
    public var areaID: String
    public var title: String
    public var priority: UInt8
    public var onBusy: BusyPolicy
    public var onInterrupt: InterruptPolicy
    public var sourceKeySHA256: String
    /// The upstream a relay pulls; nil for an encoder's stream.
    public var relayURL: String?
    public var listenKey: String?
    /// The controller's microphone, for a stream it records.
    public var captureDevice: String?
    /// The scheduled relay and window this stream is opened for.
    public var relayScheduleID: Int64?
    public var windowStart: Date?
    /// The program item it plays (`program-<id>.<position>`), for a program's relay.
    public var programItem: String?

    public init(areaID: String, title: String, priority: UInt8, onBusy: BusyPolicy, onInterrupt: InterruptPolicy,
                sourceKeySHA256: String, relayURL: String? = nil, listenKey: String? = nil,
                captureDevice: String? = nil, relayScheduleID: Int64? = nil, windowStart: Date? = nil, programItem: String? = nil) {
        self.programItem = programItem
        self.relayScheduleID = relayScheduleID
        self.windowStart = windowStart
        self.areaID = areaID
        self.title = title
        self.priority = priority
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
        self.sourceKeySHA256 = sourceKeySHA256
        self.relayURL = relayURL
        self.listenKey = listenKey
        self.captureDevice = captureDevice
    }
}
