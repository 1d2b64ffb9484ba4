import ArgumentParser
import Foundation
import LoaController

struct BulletinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bulletin", abstract: "Bulletins.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ingest a WAV or MP3 file as a bulletin.")
        @OptionGroup var state: StateOptions
        @Argument(help: "WAV or MP3 file.") var file: String
        @Option(help: "Title shown to operators.") var title: String
        @Flag(help: "Approve it at once.") var approve = false

        func run() async throws {
            let (configuration, opened, logger) = try await state.open()
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ValidationError("cannot read '\(file)'")
            }
            let ingest = BulletinIngest(pipeline: IngestPipeline(settings: IngestSettings(configuration)), content: opened.content,
                                        bulletins: opened.database, approvalRequired: configuration.bulletins.approvalRequired,
                                        logger: logger)
            let outcome = try await ingest.ingest(fileAt: file, title: title, origin: state.origin, approve: approve)
            let b = outcome.bulletin
            print("\(b.sha256) \(b.state.rawValue) \(b.durationMs) ms \(String(format: "%.1f", b.loudnessLUFS)) LUFS\(outcome.isNew ? "" : " (already stored)")")
        }
    }
}
