import Foundation
import Testing
@testable import LoaController

@Suite struct BulletinIngestTests {
    func makeIngest(_ fixture: StoreFixture, _ dir: ScratchDirectory, approvalRequired: Bool = true) throws -> BulletinIngest {
        BulletinIngest(pipeline: IngestPipeline(settings: IngestSettings()), content: try ContentStore(root: dir.url),
                       bulletins: fixture.store, approvalRequired: approvalRequired, logger: TestLog.quiet)
    }

    /// Files in the content store (ignoring its tmp folder).
    func storedFiles(_ dir: ScratchDirectory) -> [String] {
        let all = FileManager.default.enumerator(atPath: dir.url.path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".mp3") && !$0.hasPrefix("tmp") }
    }

    @Test func aGoodWAVBecomesADraftStoredOnce() async throws {
        let fixture = try await StoreFixture.seeded()
        let dir = try ScratchDirectory("loa-ingest")
        defer { dir.cleanup() }
        let ingest = try makeIngest(fixture, dir)
        let upload = TestAudio.wav(seconds: 2.5, amplitude: 0.2)
        let first = try await ingest.ingest(upload, title: "Bản tin sáng", origin: fixture.broadcaster)
        #expect(first.isNew)
        #expect(first.bulletin.state == .draft)
        #expect(first.bulletin.title == "Bản tin sáng")
        #expect(abs(first.bulletin.durationMs - 2_500) <= 1)
        #expect(abs(first.bulletin.loudnessLUFS - -16) < 0.1)
        #expect(first.bulletin.byteSize == Int64(try #require(first.audio).byteSize))
        #expect(first.bulletin.createdBy == "bt-tan-lap")
        #expect(ContentStore.sha256Hex(of: try ContentStore(root: dir.url).read(first.bulletin.sha256)) == first.bulletin.sha256)

        let second = try await ingest.ingest(upload, title: "Bản tin sáng (lần 2)", origin: fixture.broadcaster)
        #expect(!second.isNew)
        #expect(second.bulletin.sha256 == first.bulletin.sha256)
        #expect(second.bulletin.title == "Bản tin sáng")
        #expect(storedFiles(dir).count == 1)
        #expect(try await fixture.store.bulletins(in: nil).count == 1)
    }

    @Test func withoutApprovalRequiredItIsApprovedAtOnce() async throws {
        let fixture = try await StoreFixture.seeded()
        let dir = try ScratchDirectory("loa-ingest")
        defer { dir.cleanup() }
        let outcome = try await makeIngest(fixture, dir, approvalRequired: false)
            .ingest(TestAudio.wav(seconds: 1), title: "Thông báo", origin: fixture.admin)
        #expect(outcome.bulletin.state == .approved)
        #expect(outcome.bulletin.approvedBy == "admin")
    }

    @Test func aRefusedUploadStoresNothing() async throws {
        let fixture = try await StoreFixture.seeded()
        let dir = try ScratchDirectory("loa-ingest")
        defer { dir.cleanup() }
        await #expect(throws: IngestError.self) {
            _ = try await makeIngest(fixture, dir).ingest(Array("hello".utf8), title: "x", origin: fixture.admin)
        }
        #expect(storedFiles(dir).isEmpty)
        #expect(try await fixture.store.bulletins(in: nil).isEmpty)
    }

    /// Files left in the content store's tmp/.
    func temporaryFiles(_ dir: ScratchDirectory) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("tmp").path)) ?? []
    }

    @Test func aRepeatUploadIsRecognisedWithoutDecodingIt() async throws {
        let fixture = try await StoreFixture.seeded()
        let dir = try ScratchDirectory("loa-ingest")
        defer { dir.cleanup() }
        let ingest = try makeIngest(fixture, dir)
        let upload = TestAudio.wav(seconds: 1.5, frequency: 330)
        let first = try await ingest.ingest(upload, title: "Lần 1", origin: fixture.broadcaster)
        #expect(ingest.queue.completedRuns == 1)
        let second = try await ingest.ingest(upload, title: "Lần 2", origin: fixture.broadcaster)
        #expect(ingest.queue.completedRuns == 1, "the pipeline did not run again")
        #expect(!second.isNew && second.audio == nil)
        #expect(second.bulletin == first.bulletin)
        // Under another profile (a new loudness target) the same bytes are processed again.
        var settings = IngestSettings()
        settings.loudnessTargetLUFS = -18
        let other = BulletinIngest(pipeline: IngestPipeline(settings: settings), content: try ContentStore(root: dir.url),
                                   bulletins: fixture.store, approvalRequired: true, queue: ingest.queue, logger: TestLog.quiet)
        let third = try await other.ingest(upload, title: "Lần 3", origin: fixture.broadcaster)
        #expect(ingest.queue.completedRuns == 2 && third.isNew && third.bulletin.sha256 != first.bulletin.sha256)
        #expect(temporaryFiles(dir).isEmpty)
        #expect(ingest.queue.admission.holders.isEmpty)
    }

    @Test func temporaryFilesAreRemovedOnEveryRefusal() async throws {
        let fixture = try await StoreFixture.seeded()
        let dir = try ScratchDirectory("loa-ingest")
        defer { dir.cleanup() }
        let ingest = try makeIngest(fixture, dir)
        for bad in [Array("hello".utf8), TestAudio.wav(seconds: 1, amplitude: 0), Array(TestAudio.wav(seconds: 1).prefix(500))] {
            await #expect(throws: IngestError.self) {
                _ = try await ingest.ingest(bad, title: "x", origin: fixture.admin)
            }
            #expect(temporaryFiles(dir).isEmpty)
        }
        // Over the spool's limit while the body arrives.
        let spool = try UploadSpool(directory: dir.url.appendingPathComponent("tmp"), limit: 1_000)
        try await spool.append([UInt8](repeating: 1, count: 600))
        await #expect(throws: IngestError.tooLarge(bytes: 1_200, limit: 1_000)) {
            try await spool.append([UInt8](repeating: 1, count: 600))
        }
        #expect(temporaryFiles(dir).isEmpty)
        #expect(ingest.queue.admission.holders.isEmpty, "every refusal gave its ticket back")
    }

    @Test func aFullQueueRefusesWithRetryAfter() async throws {
        let fixture = try await StoreFixture.seeded()
        let dir = try ScratchDirectory("loa-ingest")
        defer { dir.cleanup() }
        let ingest = BulletinIngest(pipeline: IngestPipeline(settings: IngestSettings()), content: try ContentStore(root: dir.url),
                                    bulletins: fixture.store, approvalRequired: true,
                                    queue: IngestQueue(IngestAdmission(capacity: 1, workers: 1)), logger: TestLog.quiet)
        let held = try ingest.admit()
        await #expect(throws: IngestError.busy(retryAfterSeconds: 30)) {
            _ = try await ingest.ingest(TestAudio.wav(seconds: 1), title: "x", origin: fixture.admin)
        }
        ingest.release(held)
        #expect(try await ingest.ingest(TestAudio.wav(seconds: 1), title: "x", origin: fixture.admin).isNew)
    }
}
