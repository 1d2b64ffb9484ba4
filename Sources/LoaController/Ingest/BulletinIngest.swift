import Foundation
import LoaAudio
import Logging

/// The I/O around `IngestPipeline`: admission through the `IngestQueue`, a repeat upload
/// recognised by its SHA-256 before anything is decoded, the pipeline on a thread of its own
/// writing the MP3 to the content store's tmp/, the file renamed into place, and the bulletin
/// recorded (a draft, or approved when approval is off).
public struct BulletinIngest: Sendable {
    /// What an ingest did.
    public struct Outcome: Sendable, Equatable {
        public var bulletin: Bulletin
        /// False when identical audio was already stored (the existing bulletin is returned).
        public var isNew: Bool
        /// What the pipeline made; nil when the upload was recognised as one already ingested
        /// and nothing was decoded.
        public var audio: IngestedAudio?
    }

    public let pipeline: IngestPipeline
    public let content: ContentStore
    public let bulletins: any BulletinRepository
    public let approvalRequired: Bool
    public let queue: IngestQueue
    public let logger: Logger

    public init(pipeline: IngestPipeline, content: ContentStore, bulletins: any BulletinRepository,
                approvalRequired: Bool, queue: IngestQueue = IngestQueue(), logger: Logger) {
        self.pipeline = pipeline
        self.content = content
        self.bulletins = bulletins
        self.approvalRequired = approvalRequired
        self.queue = queue
        self.logger = logger
    }

    /// What identifies the processing, so a repeat upload is matched only while the deployment
    /// would turn it into the same MP3.
    public var profile: String {
        let s = pipeline.settings
        return "\(s.encoder) q\(s.encoder.quality); \(s.loudnessTargetLUFS) LUFS; \(s.truePeakCeilingDBTP) dBTP"
    }

    /// A place in the queue, taken before the body is read; `.busy` when it is full.
    public func admit() throws(IngestError) -> IngestAdmission.Ticket {
        switch queue.admit() {
        case .admitted(let ticket): return ticket
        case .refused(let seconds): throw .busy(retryAfterSeconds: seconds)
        }
    }

    /// Gives back a ticket whose upload never reached `ingest(_:ticket:…)`.
    public func release(_ ticket: IngestAdmission.Ticket) {
        queue.release(ticket)
    }

    /// Ingests a spooled upload and gives the ticket back; the upload's file is removed in every
    /// path. `approve` approves at once (the caller must be allowed to); without approval
    /// required every new bulletin is approved.
    public func ingest(_ upload: SpooledUpload, ticket: IngestAdmission.Ticket, title: String, origin: AuditOrigin,
                       approve: Bool = false) async throws(IngestError) -> Outcome {
        defer { upload.remove() }
        var logger = self.logger
        logger[metadataKey: "upload.sha256"] = "\(upload.sha256)"
        do throws(StoreError) {
            if let known = try await bulletins.bulletin(forUpload: upload.sha256, profile: profile), content.contains(known.sha256) {
                release(ticket)
                let bulletin = try await approveIfDue(known, approve: approve, origin: origin)
                logger.info("upload already ingested", metadata: ["bulletin.sha256": "\(bulletin.sha256)", "bulletin.state": "\(bulletin.state.rawValue)"])
                return Outcome(bulletin: bulletin, isNew: false, audio: nil)
            }
        } catch {
            release(ticket)
            throw .storage(error.description)
        }
        let (pipeline, content) = (self.pipeline, self.content)
        let result = await queue.run(ticket) { () -> Result<(IngestedAudio, ContentStore.Stored), IngestError> in
            Self.process(upload, pipeline: pipeline, content: content)
        }
        let (audio, stored) = try result.get()
        logger[metadataKey: "bulletin.sha256"] = "\(audio.sha256)"
        do throws(StoreError) {
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
            try await bulletins.recordUpload(upload.sha256, profile: profile, bulletin: bulletin.sha256)
            bulletin = try await approveIfDue(bulletin, approve: approve, origin: origin)
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

    /// Ingests an upload held in memory (the CLI, tests): spooled, then as above.
    public func ingest(_ upload: [UInt8], title: String, origin: AuditOrigin, approve: Bool = false) async throws(IngestError) -> Outcome {
        let ticket = try admit()
        let spooled: SpooledUpload
        do {
            spooled = try await UploadSpool.spool(upload, in: content.temporaryDirectory, limit: max(upload.count, 1))
        } catch {
            release(ticket)
            throw error
        }
        return try await ingest(spooled, ticket: ticket, title: title, origin: origin, approve: approve)
    }

    /// Ingests a file on this machine (`loa-controller bulletin add`), copied to tmp/ a MiB at a
    /// time rather than read whole.
    public func ingest(fileAt path: String, title: String, origin: AuditOrigin, approve: Bool = false) async throws(IngestError) -> Outcome {
        let ticket = try admit()
        let spooled: SpooledUpload
        do throws(IngestError) {
            let reader: AudioFileReader
            do { reader = try AudioFileReader(path: path) } catch { throw IngestError.storage("\(error)") }
            let spool = try UploadSpool(directory: content.temporaryDirectory, limit: pipeline.settings.maxUploadBytes)
            var offset = 0
            while true {
                let chunk: [UInt8]
                do { chunk = try reader.read(at: offset, upTo: 1 << 20) } catch {
                    spool.discard()
                    throw IngestError.storage("\(error)")
                }
                if chunk.isEmpty { break }
                try await spool.append(chunk)
                offset += chunk.count
            }
            spooled = try await spool.finish()
        } catch {
            release(ticket)
            throw error
        }
        return try await ingest(spooled, ticket: ticket, title: title, origin: origin, approve: approve)
    }

    private func approveIfDue(_ bulletin: Bulletin, approve: Bool, origin: AuditOrigin) async throws(StoreError) -> Bulletin {
        guard bulletin.state == .draft && (approve || !approvalRequired) else { return bulletin }
        return try await bulletins.transitionBulletin(bulletin.sha256, to: .approved, origin: origin)
    }

    /// The blocking part, on the queue's thread: decode, encode to tmp/, rename into the store.
    private static func process(_ upload: SpooledUpload, pipeline: IngestPipeline,
                                content: ContentStore) -> Result<(IngestedAudio, ContentStore.Stored), IngestError> {
        do throws(IngestError) {
            let reader: AudioFileReader
            do { reader = try AudioFileReader(path: upload.path) } catch { throw .storage("\(error)") }
            var output = try MP3TempFile(directory: content.temporaryDirectory)
            let audio: IngestedAudio
            do {
                audio = try pipeline.process(reader, into: &output)
            } catch {
                output.remove()
                throw error
            }
            do throws(StoreError) {
                return .success((audio, try content.put(fileAt: output.path, sha256: audio.sha256, byteSize: audio.byteSize)))
            } catch {
                throw .storage(error.description)
            }
        } catch {
            return .failure(error)
        }
    }
}
