import Foundation
import Hummingbird

/// Bulletins belong to the area of the user who uploaded them: visible to users of that area,
/// below it and above it; approved or archived by an operator over it.
extension APIHandlers {
    static let audioContentTypes: Set<String> = [
        "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/mpeg", "audio/mp3", "audio/mpeg3",
        "application/octet-stream",
    ]

    func listBulletins(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        var state: BulletinState?
        if let text = try query(request, "state") {
            guard let value = BulletinState(rawValue: text) else { throw APIError.validation("'state' must be draft, approved or archived") }
            state = value
        }
        let areas = try await creatorAreas()
        let visible = try await store.bulletins(in: state).filter { caller.scope.canSee(areas[$0.createdBy] ?? nil) }
        return try APIResponse.json(try page(request).apply(visible.map(APIBulletin.init)))
    }

    /// The raw body is the audio. 201 for a new bulletin, 200 with the existing one for audio
    /// already stored (the same upload, recognised by its SHA-256 before decoding, or the same
    /// content after processing). A place in the ingest queue is taken before the body is read,
    /// so a full queue costs the uploader nothing: 503 with `Retry-After`. The body streams to a
    /// file in the content store's tmp/ (removed in every path); the DSP runs on a thread of its own.
    func uploadBulletin(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.uploadBulletins))
        let limit = min(services.settings.maxUploadBytes, services.ingest.pipeline.settings.maxUploadBytes)
        if let type = request.headers[.contentType] {
            let bare = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard Self.audioContentTypes.contains(bare) else {
                throw APIError.unsupportedMedia("Content-Type '\(type)' is not audio; send the WAV or MP3 file as audio/wav, audio/mpeg or application/octet-stream")
            }
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.payloadTooLarge(Self.tooLargeMessage(length, limit))
        }
        let title = try query(request, "title") ?? "Upload \(APIJSON.time(services.now()).prefix(16).replacingOccurrences(of: "T", with: " "))"
        if let problem = Identifier.textProblem(title, field: "title") { throw APIError.validation(problem) }
        let origin = try context.origin()
        let started = ContinuousClock.now
        let outcome: BulletinIngest.Outcome
        do {
            let ticket = try services.ingest.admit()
            let upload: SpooledUpload
            do {
                upload = try await spool(request.body, limit: limit)
            } catch {
                services.ingest.release(ticket)
                throw error
            }
            outcome = try await services.ingest.ingest(upload, ticket: ticket, title: title, origin: origin)
        } catch let error as IngestError {
            services.metrics.ingest(seconds: Self.seconds(since: started), outcome: APIError.ingestOutcome(error))
            if case .tooLarge = error { throw APIError.payloadTooLarge(Self.tooLargeMessage(nil, limit)) }
            throw APIError(error)
        }
        services.metrics.ingest(seconds: Self.seconds(since: started), outcome: "ok")
        return try APIResponse.json(APIBulletin(outcome.bulletin), status: outcome.isNew ? .created : .ok)
    }

    /// The request body into a file in the content store's tmp/, the limit enforced as it arrives.
    private func spool(_ body: RequestBody, limit: Int) async throws -> SpooledUpload {
        let spool = try UploadSpool(directory: services.content.temporaryDirectory, limit: limit)
        do {
            for try await chunk in body {
                try await spool.append(chunk.readableBytesView)
            }
            return try await spool.finish()
        } catch {
            spool.discard()
            throw error
        }
    }

    func getBulletin(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try APIResponse.json(APIBulletin(try await visibleBulletin(context)))
    }

    func bulletinAudio(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let bulletin = try await visibleBulletin(context)
        guard services.content.contains(bulletin.sha256) else {
            throw APIError.internalError("the audio of bulletin \(bulletin.sha256.prefix(8))… is missing from the content store; restore it from backup")
        }
        let data = try Data(contentsOf: services.content.url(for: bulletin.sha256))
        var response = APIResponse.bytes(data, contentType: "audio/mpeg")
        response.headers[.contentDisposition] = "attachment; filename=\"\(bulletin.sha256.prefix(12)).mp3\""
        return response
    }

    func approveBulletin(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try await transition(context, to: .approved)
    }

    func archiveBulletin(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try await transition(context, to: .archived)
    }

    private func transition(_ context: APIRequestContext, to state: BulletinState) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.reviewBulletins))
        let old = try await store.bulletin(try parameter("sha256", context))
        let areas = try await creatorAreas()
        try APIError.check(caller.decide(.reviewBulletins, areas: [areas[old.createdBy] ?? nil]))
        guard old.state.canTransition(to: state) else {
            throw APIError.conflict(StoreError.bulletinTransitionRefused(sha256: old.sha256, from: old.state, to: state).description)
        }
        let bulletin = try await store.transitionBulletin(old.sha256, to: state, origin: try context.origin())
        // Approval or archiving changes the schedule of every gateway that schedules it.
        var reached: [String] = []
        for entry in try await store.allScheduleEntries() where entry.rule.bulletinSHA256 == bulletin.sha256 {
            reached += try await services.fleet.gatewayIDs(reachedBy: entry.rule.target)
        }
        for program in try await store.programs(playing: bulletin.sha256) {
            reached += try await store.gatewaysAffected(byChangeToArea: program.areaID)
        }
        services.fleet.notifyScheduleChanged(gatewayIDs: reached)
        return try APIResponse.json(APIBulletin(bulletin))
    }

    private func visibleBulletin(_ context: APIRequestContext) async throws -> Bulletin {
        let sha256 = try parameter("sha256", context)
        guard Bulletin.isValidSHA256(sha256) else {
            throw APIError.notFound("bulletin '\(sha256)' does not exist (a bulletin id is its lowercase hex SHA-256)")
        }
        return try await usableBulletin(sha256, try context.requireCaller())
    }

    /// The one rule for who may use a bulletin — hear it, download it, schedule it, announce it:
    /// it belongs to the area of the user who uploaded it, and a caller may use it when they can
    /// see that area (their own, below it, or above it). A broadcaster of commune A may not
    /// schedule commune B's bulletin even into A's own schedule.
    func usableBulletin(_ sha256: String, _ caller: Caller) async throws -> Bulletin {
        let bulletin = try await store.bulletin(sha256)
        let area = try await creatorAreas()[bulletin.createdBy] ?? nil
        guard caller.decide(.read, areas: [area], seeing: true).isAllowed else {
            throw APIError.forbidden("bulletin \(bulletin.sha256.prefix(8))… belongs to area '\(area ?? "")', outside your area; ask a user responsible for it")
        }
        return bulletin
    }

    /// Username → area of every user (nil for system-wide users).
    func creatorAreas() async throws -> [String: String?] {
        Dictionary(try await store.users().map { ($0.username, $0.areaID) }, uniquingKeysWith: { a, _ in a })
    }

    static func tooLargeMessage(_ bytes: Int?, _ limit: Int) -> String {
        func size(_ n: Int) -> String { n >= 1_048_576 ? "\(n / 1_048_576) MiB" : "\(max(1, n / 1_024)) KiB" }
        let given = bytes.map { "\(size($0)), " } ?? ""
        return "the upload is \(given)over the limit of \(size(limit)) (http.max_upload_bytes / audio.max_upload_bytes); send a shorter or compressed recording"
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).inSeconds
    }
}
