import Foundation
import Hummingbird
import LoaAudio
import LoaSpeech

/// Bulletins typed as text (issue 15): eSpeak NG's Vietnamese voices speak the text on the
/// controller; `preview` answers the speech as WAV to hear before saving, the save feeds it
/// through the same ingest as an upload (loudness, encode, the approval rule). Synthesis runs on
/// an ingest thread with a place in the ingest queue, so it never occupies the cooperative pool.
extension APIHandlers {
    /// `POST /api/v1/bulletins/speech`: 201 with the new bulletin (200 with the one already stored
    /// for the same speech).
    func speechBulletin(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.uploadBulletins))
        let input = try await APIJSON.decode(SpeechInput.self, from: request)
        let title = input.title ?? Self.title(from: input.text)
        let speech = try await speak(input)
        let origin = try context.origin()
        let started = ContinuousClock.now
        let outcome: BulletinIngest.Outcome
        do throws(IngestError) {
            outcome = try await services.ingest.ingest(WAVFile(audio: speech).encoded(), title: title, origin: origin)
        } catch {
            services.metrics.ingest(seconds: Self.seconds(since: started), outcome: APIError.ingestOutcome(error))
            throw APIError(error)
        }
        services.metrics.ingest(seconds: Self.seconds(since: started), outcome: "ok")
        context.logger.info("bulletin spoken from text", metadata: [
            "bulletin.sha256": "\(outcome.bulletin.sha256)", "characters": "\(input.text.count)", "voice": "\(input.voice ?? "vi")"])
        return try APIResponse.json(APIBulletin(outcome.bulletin), status: outcome.isNew ? .created : .ok)
    }

    /// `POST /api/v1/bulletins/speech/preview`: the speech as 16-bit mono WAV, nothing stored.
    func speechPreview(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.uploadBulletins))
        let input = try await APIJSON.decode(SpeechInput.self, from: request)
        let speech = try await speak(input)
        return APIResponse.bytes(WAVFile(audio: speech).encoded(), contentType: "audio/wav")
    }

    private func speak(_ input: SpeechInput) async throws -> PCMBuffer {
        let settings = input.settings
        if let problem = settings.problem(with: input.text) { throw APIError.validation(problem) }
        if let title = input.title, let problem = Identifier.textProblem(title, field: "title") { throw APIError.validation(problem) }
        let ticket: IngestAdmission.Ticket
        do { ticket = try services.ingest.admit() } catch { throw APIError(error) }
        let text = input.text
        let result: Result<PCMBuffer, SpeechError> = await services.ingest.queue.run(ticket) {
            Result { () throws(SpeechError) -> PCMBuffer in try SpeechSynthesizer.synthesize(text, settings: settings) }
        }
        switch result {
        case .success(let speech): return speech
        case .failure(.invalid(let problem)): throw APIError.validation(problem)
        case .failure(let error): throw APIError.unavailable(error.description)
        }
    }

    /// The first words of the text, up to 60 characters, as the default title.
    static func title(from text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        var title = ""
        for word in words {
            if title.count + word.count + 1 > 60 { break }
            title += (title.isEmpty ? "" : " ") + word
        }
        return title.isEmpty ? String(text.prefix(60)) : title
    }
}

/// `POST /api/v1/bulletins/speech` and `…/preview`.
struct SpeechInput: APIBody {
    static let notNullableFields: Set<String> = ["voice", "rate", "pitch", "title"]
    var text: String
    var title: String?
    var voice: String?
    var rate: Int?
    var pitch: Int?

    var settings: SpeechSettings {
        let defaults = SpeechSettings()
        return SpeechSettings(voice: voice ?? defaults.voice, rate: rate ?? defaults.rate, pitch: pitch ?? defaults.pitch)
    }
}
