import Foundation
import Hummingbird
import LoaAudio

/// A browser's microphone as a live stream's source (`BrowserSources`): the console posts short
/// WAV segments numbered from 0, each answered once its audio is in the stream.
extension APIHandlers {
    static let wavContentTypes: Set<String> = ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"]

    /// One segment: the same token and area rules as opening or stopping a stream (admin, or an
    /// operator over the stream's area), and only the login session that sent segment 0 may
    /// send the rest. The answer is the stream, on air from the first segment.
    func liveSegment(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let stream = try await liveStream(context)
        try APIError.check(caller.decide(.announce, areas: [stream.areaID]))
        guard stream.state != .ended else {
            throw APIError(.gone, "gone", "live stream \(stream.id) has ended (\(stream.endReason ?? "stopped")); open a new one to go on air again")
        }
        let sequence = try segmentSequence(request)
        if let type = request.headers[.contentType] {
            let bare = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard Self.wavContentTypes.contains(bare) else {
                throw APIError.unsupportedMedia("Content-Type '\(type)' is not WAV; send each segment as audio/wav (16-bit PCM)")
            }
        }
        let settings = services.live.settings
        let limit = BrowserSegment.maxBytes(maxSeconds: settings.browserSegmentMaxSeconds)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.payloadTooLarge(Self.segmentTooLarge(length, limit))
        }
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            bytes += chunk.readableBytesView
            guard bytes.count <= limit else { throw APIError.payloadTooLarge(Self.segmentTooLarge(nil, limit)) }
        }
        let open: Bool
        do {
            let pcm = try BrowserSegment.decode(bytes, maxSeconds: settings.browserSegmentMaxSeconds)
            open = try await services.browserSources.feed(stream.id, sequence: sequence, pcm: pcm,
                                                          owner: caller.tokenSHA256, user: caller.user.username)
        } catch let error as BrowserSourceError {
            throw APIError(error, streamID: stream.id)
        } catch let error as LiveHubError {
            throw APIError(error)
        }
        let current = try await store.liveStream(stream.id)
        guard open else {
            throw APIError(.gone, "gone", "live stream \(stream.id) has ended (\(current.endReason ?? "stopped")); open a new one to go on air again")
        }
        var shown = APILiveStream(current, status: await services.live.status(stream.id))
        shown.browserSource = caller.user.username
        return try APIResponse.json(shown)
    }

    private func segmentSequence(_ request: Request) throws(APIError) -> UInt64 {
        guard let text = try query(request, "sequence") else {
            throw APIError.validation("'sequence' is required: 0 for a source's first segment, then 1, 2, …")
        }
        guard let sequence = UInt64(text), sequence <= 1 << 53 else {
            throw APIError.validation("'sequence' must be a whole number from 0, not '\(text.prefix(40))'")
        }
        return sequence
    }

    static func segmentTooLarge(_ bytes: Int?, _ limit: Int) -> String {
        "a segment is at most \(limit / 1_024) KiB\(bytes.map { "; this one is \($0 / 1_024) KiB" } ?? ""): send shorter segments"
    }
}

extension APIError {
    /// Format refusals 415 or 413, sequence and session refusals 409 and 403, an ended source 410.
    init(_ error: BrowserSourceError, streamID: Int64) {
        switch error {
        case .notWAV, .unsupportedFormat: self = .unsupportedMedia(error.description)
        case .tooLong: self = .payloadTooLarge(error.description)
        case .formatChanged: self = .validation(error.description)
        case .notStarted, .duplicate, .outOfOrder, .busy: self = .conflict(error.description)
        case .notYours: self = .forbidden("live stream \(streamID): \(error.description)")
        case .closed: self = APIError(.gone, "gone", "live stream \(streamID): \(error.description)")
        }
    }
}
