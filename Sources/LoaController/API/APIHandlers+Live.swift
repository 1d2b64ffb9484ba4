import Foundation
import Hummingbird
import LoaAudio
import LoaSchedule
import NIOCore

/// Live broadcasts (/work/live-contract.md): operators and admins open a stream for an area in
/// their scope, an encoder pushes MP3 to its source path, the `LiveHub` relays it to the gateways.
extension APIHandlers {
    static let liveContentTypes: Set<String> = ["audio/mpeg", "audio/mp3", "audio/mpeg3", "application/octet-stream"]
    static let liveEndedLimit = 50

    func createLiveStream(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let input = try await APIJSON.decode(LiveStreamInput.self, from: request)
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw APIError.validation("'title' must be 1 to 200 characters") }
        let priority = input.priority ?? Int(Priority.live.rawValue)
        guard Priority.Band.liveLevels.contains(priority) else {
            throw APIError.validation("'priority' must be \(Priority.Band.liveRule) for a live stream")
        }
        let onBusy = try Self.policy(BusyPolicy.self, input.onBusy, default: .preempt, field: "onBusy")
        let onInterrupt = try Self.policy(InterruptPolicy.self, input.onInterrupt, default: .drop, field: "onInterrupt")
        let relayURL = try input.relayUrl.map { text throws(APIError) in try Self.relayURL(text, allowedHosts: services.live.settings.relayHosts) }
        let device = try Self.captureDevice(input.captureDevice, relaying: relayURL != nil, allowed: services.live.settings.captureDevices)
        _ = try await store.area(input.areaId)
        try APIError.check(caller.decide(.announce, areas: [input.areaId]))
        if relayURL != nil, try await store.gatewaysAffected(byChangeToArea: input.areaId).isEmpty {
            throw APIError.validation("area '\(input.areaId)' has no gateways: a relay there would reach no loudspeaker; pick an area with gateways")
        }
        let key = LoginToken.random()
        let stream = try await store.createLiveStream(
            NewLiveStream(areaID: input.areaId, title: title, priority: UInt8(priority), onBusy: onBusy, onInterrupt: onInterrupt,
                          sourceKeySHA256: key.sha256, relayURL: relayURL, listenKey: LoginToken.random().value,
                          captureDevice: device),
            origin: try context.origin())
        context.logger.info("live stream created", metadata: ["live.id": "\(stream.id)", "area.id": "\(stream.areaID)",
                                                             "relay.url": "\(relayURL ?? "")"])
        if relayURL != nil { await services.live.startRelay(stream) }
        if device != nil { await services.live.startCapture(stream) }
        return try APIResponse.json(APICreatedLiveStream(stream: APILiveStream(stream, status: nil),
                                                         sourcePath: "/api/v1/live/\(stream.id)/source", sourceKey: key.value),
                                    status: .created)
    }

    func listLiveStreams(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        var shown: [APILiveStream] = []
        for stream in try await store.liveStreams(endedLimit: Self.liveEndedLimit) where caller.scope.canSee(stream.areaID) {
            var item = APILiveStream(stream, status: await services.live.status(stream.id))
            item.browserSource = await services.browserSources.user(of: stream.id)
            shown.append(item)
        }
        return try APIResponse.json(try page(request).apply(shown))
    }

    /// The controller's microphones an operator may go live from (`live.capture_devices`), and
    /// the Icecast-compatible port encoders push to, if open.
    func captureDevices(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        return try APIResponse.json(["items": services.live.settings.captureDevices.keys.sorted()])
    }

    func getLiveStream(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let stream = try await liveStream(context)
        try APIError.check(caller.decide(.read, areas: [stream.areaID], seeing: true))
        var shown = APILiveStream(stream, status: await services.live.status(stream.id))
        shown.browserSource = await services.browserSources.user(of: stream.id)
        return try APIResponse.json(shown)
    }

    /// Ends the stream: `liveEnd` `stopped by operator` to the gateways, the source connection closed.
    func stopLiveStream(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let stream = try await liveStream(context)
        try APIError.check(caller.decide(.announce, areas: [stream.areaID]))
        let origin = try context.origin()
        do {
            _ = try await services.live.stop(stream.id, origin: origin)
        } catch .ended {
            // DELETE is idempotent: stopping a stream that has already ended changes nothing.
        } catch {
            throw APIError(error)
        }
        return APIResponse.noContent()
    }

    /// The encoder's MP3, streamed: read chunk by chunk as it arrives (never collected, so no
    /// upload limit applies), transcoded and relayed until the request ends or the stream is stopped.
    func liveSource(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let stream = try await liveStream(context)
        if let refusal = try await authenticateSource(request, context, stream) { return refusal }
        if let type = request.headers[.contentType] {
            let bare = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard Self.liveContentTypes.contains(bare) else {
                context.closeConnectionAfterResponse()
                throw APIError.unsupportedMedia("Content-Type '\(type)' is not MP3; send the stream as audio/mpeg")
            }
        }
        let channel = context.channel
        do {
            _ = try await services.live.attachSource(stream.id, closeSource: { channel?.close(promise: nil) })
        } catch {
            context.closeConnectionAfterResponse()
            throw APIError(error)
        }
        let pump: LiveSourcePump
        do {
            pump = try LiveSourcePump(streamID: stream.id, hub: services.live, now: services.live.now)
        } catch {
            await services.live.detachSource(stream.id)
            throw APIError.internalError(error.description)
        }
        context.logger.info("live source connected", metadata: ["live.id": "\(stream.id)", "peer.address": "\(context.remoteAddress ?? "")"])
        var failure: LiveSourceError?
        var stopped = false
        do {
            for try await buffer in request.body {
                guard try await pump.feed(Array(buffer.readableBytesView)) else {
                    stopped = true
                    break
                }
            }
        } catch let error as LiveSourceError {
            failure = error
        } catch {
            // The connection dropped mid-stream: the source has ended all the same.
            context.logger.notice("live source connection lost", metadata: ["live.id": "\(stream.id)", "error": "\(error)"])
        }
        if failure == nil && !stopped && pump.open {
            do { try await pump.finish() } catch { failure = error }
        }
        return try await sourceOutcome(stream, pump: pump, failure: failure, stopped: stopped || !pump.open, context)
    }

    private func sourceOutcome(_ stream: LiveStream, pump: LiveSourcePump, failure: LiveSourceError?, stopped: Bool,
                               _ context: APIRequestContext) async throws -> Response {
        let hub = services.live
        if stopped {
            // Stopped by an operator or the controller: the hub ended it and closed the connection.
            return try APIResponse.json(APILiveStream(try await store.liveStream(stream.id), status: nil))
        }
        if !pump.onAir {
            await hub.detachSource(stream.id)
            context.closeConnectionAfterResponse()
            switch failure {
            case .notMP3?, nil:
                let reason = failure?.description ?? "the source sent \(pump.transcoder.receivedBytes) bytes without any decodable audio; send MP3 audio"
                context.logger.notice("live source refused", metadata: ["live.id": "\(stream.id)", "error": "\(reason)"])
                throw APIError.unsupportedMedia(reason)
            case let failure?:
                throw APIError.validation(failure.description)
            }
        }
        if let failure {
            await hub.end(stream.id, reason: LiveEndReason.sourceEnded, storedReason: "source failed: \(failure.description)",
                          origin: .controller)
            context.closeConnectionAfterResponse()
            throw APIError.validation(failure.description)
        }
        await hub.end(stream.id, reason: LiveEndReason.sourceEnded, origin: .controller, closeSource: false)
        return try APIResponse.json(APILiveStream(try await store.liveStream(stream.id), status: nil))
    }

    /// HTTP Basic with the source key as password (any user name), or an operator's bearer
    /// token. Without credentials: 401 with a Basic challenge, which is what makes ffmpeg and
    /// Icecast-style clients send the key from their URL.
    private func authenticateSource(_ request: Request, _ context: APIRequestContext, _ stream: LiveStream) async throws -> Response? {
        guard let header = request.headers[.authorization] else {
            context.closeConnectionAfterResponse()
            var response = APIResponse.error(.unauthorized("this source needs the stream's key: HTTP Basic auth with the key as password (http://source:KEY@host/…), or an operator's bearer token"))
            response.headers[.wwwAuthenticate] = "Basic realm=\"loa live \(stream.id)\""
            return response
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        let scheme = parts.first?.lowercased() ?? ""
        let credential = parts.count == 2 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        switch scheme {
        case "basic":
            guard let data = Data(base64Encoded: credential), let text = String(data: data, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else {
                throw APIError.unauthorized("the Basic credentials are malformed; send user:KEY in base64")
            }
            let key = String(text[text.index(after: colon)...])
            guard Self.constantTimeEqual(LoginToken(value: key).sha256, stream.sourceKeySHA256) else {
                context.closeConnectionAfterResponse()
                try? await store.appendAudit(action: "live.source.refused", target: "\(stream.id)", details: ["reason": "wrong key"],
                                             origin: AuditOrigin(actor: "live-source", address: context.remoteAddress))
                throw APIError.unauthorized("wrong source key for live stream \(stream.id); use the key shown when it was created")
            }
            return nil
        case "bearer":
            let token = LoginToken(value: credential)
            guard let user = try await store.tokenUser(sha256: token.sha256, at: services.now()) else {
                throw APIError.unauthorized("the token is unknown or has expired; log in again")
            }
            let caller = Caller(user: user, scope: try await services.scope(for: user), tokenSHA256: token.sha256)
            try APIError.check(caller.decide(.announce, areas: [stream.areaID]))
            return nil
        default:
            throw APIError.unauthorized("the Authorization header must be 'Basic …' (the source key) or 'Bearer TOKEN'")
        }
    }

    func liveStream(_ context: APIRequestContext) async throws -> LiveStream {
        let text = try parameter("id", context)
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("live stream '\(text)' does not exist (ids are numbers)") }
        return try await store.liveStream(id)
    }

    /// A relay's upstream: an absolute http or https URL with a host, at most 2000 characters
    /// (no files, no other FFmpeg protocols: the reader allows the network only as well).
    /// With `allowedHosts` (`live.relay_hosts`) not empty, the host must be one of them.
    static func relayURL(_ text: String, allowedHosts: [String], field: String = "'relayUrl'") throws(APIError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (8...2000).contains(trimmed.count), !trimmed.contains(where: \.isWhitespace), let url = URL(string: trimmed),
              let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw APIError.validation("\(field) must be an http:// or https:// address of an upstream stream or playlist (at most 2000 characters), not '\(text.prefix(80))'")
        }
        guard allowedHosts.isEmpty || allowedHosts.contains(where: { $0.lowercased() == host.lowercased() }) else {
            throw APIError.validation("\(field): host '\(host.prefix(80))' is not one this controller relays from (live.relay_hosts: \(allowedHosts.joined(separator: ", ")))")
        }
        return trimmed
    }

    /// A microphone stream's device: one of `live.capture_devices`, and not with a relay.
    static func captureDevice(_ name: String?, relaying: Bool, allowed: [String: ALSADevice]) throws(APIError) -> String? {
        guard let name else { return nil }
        guard !relaying else { throw APIError.validation("give 'relayUrl' or 'captureDevice', not both") }
        guard allowed[name] != nil else {
            let list = allowed.keys.sorted().joined(separator: ", ")
            throw APIError.validation("'captureDevice' '\(name.prefix(80))' is not a microphone of this controller (live.capture_devices: \(list.isEmpty ? "none" : list))")
        }
        return name
    }

    static func policy<P: RawRepresentable & CaseIterable>(_ type: P.Type, _ text: String?, default value: P,
                                                            field: String) throws(APIError) -> P where P.RawValue == String {
        guard let text else { return value }
        guard let policy = P(rawValue: text) else {
            throw APIError.validation("'\(field)' must be one of \(P.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return policy
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension APIError {
    init(_ error: LiveHubError) {
        switch error {
        case .ended: self = APIError(.gone, "gone", error.description)
        case .sourceConnected: self = .conflict(error.description)
        case .stopping, .tooManyListeners: self = APIError(.serviceUnavailable, "unavailable", error.description)
        case .store(let store): self = APIError(store)
        }
    }
}
