import Foundation
import Logging

/// The I/O around `IngestPipeline`: runs it off the caller's executor, stores the MP3 once in
/// the `ContentStore`, and records the bulletin (a draft, or approved when approval is off).
public struct BulletinIngest: Sendable {
    /// What an ingest did.
    public struct Outcome: Sendable, Equatable {
        public var bulletin: Bulletin
        /// False when identical audio was already stored (the existing bulletin is returned).
        public var isNew: Bool
        public var audio: IngestedAudio
    }

    public let pipeline: IngestPipeline
    public let content: ContentStore
    public let bulletins: any BulletinRepository
    public let approvalRequired: Bool
    public let logger: Logger

    public init(pipeline: IngestPipeline, content: ContentStore, bulletins: any BulletinRepository,
                approvalRequired: Bool, logger: Logger) {
        self.pipeline = pipeline
        self.content = content
        self.bulletins = bulletins
        self.approvalRequired = approvalRequired
        self.logger = logger
    }

    /// `approve` approves at once (the caller must be allowed to); without approval required
    /// every new bulletin is approved.
    public func ingest(_ upload: [UInt8], title: String, origin: AuditOrigin, approve: Bool = false) async throws(IngestError) -> Outcome {
        let pipeline = self.pipeline
        let result = await Task.detached { () -> Result<IngestedAudio, IngestError> in
            do throws(IngestError) { return .success(try pipeline.process(upload)) } catch { return .failure(error) }
        }.value
        let audio = try result.get()
        var logger = self.logger
        logger[metadataKey: "bulletin.sha256"] = "\(audio.sha256)"
        do throws(StoreError) {
            let stored = try content.put(Data(audio.mp3))
            var bulletin: Bulletin
            var isNew = true
            do throws(StoreError) {
                bulletin = try await bulletins.createBulletin(
                    NewBulletin(sha256: stored.sha256, title: title, durationMs: audio.durationMs,
                                loudnessLUFS: audio.loudnessLUFS, byteSize: stored.byteSize), origin: origin)
            } catch .alreadyExists {
                bulletin = try await bulletins.bulletin(stored.sha256)
                isNew = false
            }
            if bulletin.state == .draft && (approve || !approvalRequired) {
                bulletin = try await bulletins.transitionBulletin(bulletin.sha256, to: .approved, origin: origin)
            }
            logger.info("bulletin ingested", metadata: [
                "bulletin.new": "\(isNew)", "bulletin.state": "\(bulletin.state.rawValue)",
                "bulletin.duration_ms": "\(audio.durationMs)", "bulletin.loudness_lufs": "\(audio.loudnessLUFS)",
                "ingest.gain_db": "\(audio.gainDB)", "ingest.source": "\(audio.sourceFormat)",
            ])
            return Outcome(bulletin: bulletin, isNew: isNew, audio: audio)
        } catch {
            throw .storage(error.description)
        }
    }
}
