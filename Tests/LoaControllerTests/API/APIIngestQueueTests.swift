import Foundation
import Hummingbird
import Testing
@testable import LoaController

/// `POST /api/v1/bulletins` under load: a full ingest queue answers 503 with `Retry-After`
/// before reading the body, and a repeat upload answers 200 without running the pipeline.
@Suite struct APIIngestQueueTests {
    func temporaryFiles(_ h: APIHarness) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: h.content.temporaryDirectory.path)) ?? []
    }

    @Test func aFullQueueIs503WithRetryAfterAndARepeatIs200() async throws {
        let queue = IngestQueue(IngestAdmission(capacity: 1, workers: 1))
        let h = try await APIHarness.start(ingestQueue: queue)
        try await h.run { api in
            let wav = TestAudio.wav(seconds: 1.5, frequency: 392)
            let first = try await api.call(.post, "/api/v1/bulletins?title=one", as: "bt-tan-lap", body: wav,
                                           headers: [.contentType: "audio/wav"])
            #expect(first.status == 201, "\(first.text)")
            let sha = try #require(first.object["sha256"] as? String)
            #expect(queue.completedRuns == 1)

            // Another upload holds the only place.
            let held = try h.services.ingest.admit()
            let busy = try await api.call(.post, "/api/v1/bulletins?title=two", as: "bt-tan-lap",
                                          body: TestAudio.wav(seconds: 1, frequency: 600), headers: [.contentType: "audio/wav"])
            #expect(busy.status == 503, "\(busy.text)")
            #expect(busy.errorCode == "ingest_busy")
            #expect(busy.errorMessage?.contains("audio.ingest_queue_length") == true)
            let retryAfter = try #require(busy.headers[.retryAfter].flatMap(Int.init))
            #expect((1...600).contains(retryAfter))
            #expect(temporaryFiles(h).isEmpty)
            h.services.ingest.release(held)

            // The first file again: recognised by its SHA-256, nothing decoded.
            let again = try await api.call(.post, "/api/v1/bulletins?title=again", as: "bt-tan-lap", body: wav,
                                           headers: [.contentType: "audio/wav"])
            #expect(again.status == 200, "\(again.text)")
            #expect(again.object["sha256"] as? String == sha)
            #expect(again.object["title"] as? String == "one")
            #expect(queue.completedRuns == 1)
            #expect(temporaryFiles(h).isEmpty)
            #expect(queue.admission.holders.isEmpty)
        }
    }

    @Test func aBodyOverTheLimitWithoutContentLengthIs413AndLeavesNothing() async throws {
        let h = try await APIHarness.start(settings: APISettings(maxUploadBytes: 64 << 10))
        try await h.run { api in
            // The in-process client sends a Content-Length; without one the limit holds as the body streams.
            var headers: HTTPFields = [.contentType: "audio/wav"]
            headers[.transferEncoding] = "chunked"
            let big = try await api.call(.post, "/api/v1/bulletins", as: "bt-tan-lap", body: TestAudio.wav(seconds: 2), headers: headers)
            #expect(big.status == 413 && big.errorCode == "payload_too_large", "\(big.text)")
            #expect(temporaryFiles(h).isEmpty)
            #expect(h.services.ingest.queue.admission.holders.isEmpty)
        }
    }
}
