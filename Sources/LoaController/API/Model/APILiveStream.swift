import Foundation

/// `POST /api/v1/live` body.
struct LiveStreamInput: APIBody {
    static let notNullableFields: Set<String> = ["priority", "onBusy", "onInterrupt", "relayUrl", "captureDevice"]
    var areaId: String
    var title: String
    var priority: Int?
    var onBusy: String?
    var onInterrupt: String?
    /// A relay: the upstream the controller pulls instead of waiting for an encoder.
    var relayUrl: String?
    /// The controller's microphone: one of `live.capture_devices`.
    var captureDevice: String?
}

/// A live stream as the API shows it (`GET /api/v1/live`, `GET /api/v1/live/{id}`).
struct APILiveStream: Codable, Sendable {
    var id: Int64
    var itemId: String
    var areaId: String
    var title: String
    var priority: Int
    var onBusy: String
    var onInterrupt: String
    var state: String
    var createdBy: String
    var createdAt: String
    var startedAt: String?
    var endedAt: String?
    var endReason: String?
    /// Gateways currently sent to (0 unless on air).
    var gateways: Int
    var bytesReceived: Int64
    /// A relay's upstream; absent for an encoder's stream.
    var relayUrl: String?
    /// Where anyone may listen (with the key in it), while the stream has not ended.
    var listenPath: String?
    /// The controller's microphone this stream records; absent for other sources.
    var captureDevice: String?
    /// Listeners of the listen URLs now.
    var listeners: Int
    /// Since when a relay's upstream has been silent (below live.relay_silence_dbfs for
    /// live.relay_silence_seconds); absent while it has sound.
    var silentSince: String?
    /// The user whose browser's microphone is the source now (`POST …/segments`); absent otherwise.
    var browserSource: String?

    init(_ stream: LiveStream, status: LiveHub.Status?) {
        id = stream.id
        itemId = stream.itemID
        areaId = stream.areaID
        title = stream.title
        priority = Int(stream.priority)
        onBusy = stream.onBusy.rawValue
        onInterrupt = stream.onInterrupt.rawValue
        state = stream.state.rawValue
        createdBy = stream.createdBy
        createdAt = APIJSON.time(stream.createdAt)
        startedAt = APIJSON.time(stream.startedAt)
        endedAt = APIJSON.time(stream.endedAt)
        endReason = stream.endReason
        gateways = stream.state == .ended ? 0 : status?.gateways ?? 0
        bytesReceived = status?.bytesReceived ?? stream.bytesReceived
        relayUrl = stream.relayURL
        listenPath = stream.state == .ended ? nil : stream.listenKey.map { "/api/v1/live/\(stream.id)/listen?key=\($0)" }
        captureDevice = stream.captureDevice
        listeners = stream.state == .ended ? 0 : status?.listeners ?? 0
        silentSince = stream.state == .ended ? nil : APIJSON.time(status?.silentSince)
    }
}

/// `201` answer of `POST /api/v1/live`: the stream as `APILiveStream` shows it, plus where and
/// with what key the encoder sends (one flat JSON object).
struct APICreatedLiveStream: Encodable, Sendable {
    var stream: APILiveStream
    var sourcePath: String
    /// Shown only here; the store keeps its SHA-256.
    var sourceKey: String

    private enum CodingKeys: String, CodingKey { case sourcePath, sourceKey }

    func encode(to encoder: any Encoder) throws {
        try stream.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sourcePath, forKey: .sourcePath)
        try container.encode(sourceKey, forKey: .sourceKey)
    }
}
