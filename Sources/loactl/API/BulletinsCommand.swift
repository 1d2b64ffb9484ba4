import ArgumentParser
import Foundation

/// `loactl bulletins …`: upload, list, approve, archive, download.
struct BulletinsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletins", abstract: "Bulletins: upload (WAV or MP3), say (typed text, spoken), list, approve, archive, download.",
        subcommands: [List.self, Upload.self, Say.self, Show.self, Approve.self, Archive.self, Download.self], defaultSubcommand: List.self)

    struct List: APICommand {
        static let configuration = CommandConfiguration(abstract: "Bulletins in scope, newest first.")
        @OptionGroup var api: APIOptions
        @Option(help: "draft, approved or archived.") var state: String?
        @Flag(help: "Follow the list to its end (default: the first 1000).") var all = false
        func run(_ client: APIClient) async throws {
            if let state, !["draft", "approved", "archived"].contains(state) {
                throw APIFailure.usage("--state is draft, approved or archived; not '\(state)'")
            }
            api.output(list: try await client.list(APIRoutes.bulletins(state: state), limit: 1000, all: all), APITables.bulletins)
        }
    }

    struct Upload: APICommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a WAV or MP3 file; the controller checks, normalises and encodes it. Prints its SHA-256.")
        @OptionGroup var api: APIOptions
        @Argument(help: "WAV or MP3 file.") var file: String
        @Option(help: "Title shown to operators (default: the file name).") var title: String?
        @Flag(help: "Approve it at once (admin and operator).") var approve = false
        func run(_ client: APIClient) async throws {
            var bulletin = try await upload(file, title: title, client)
            if approve, bulletin["state"]?.string == "draft", let sha = bulletin["sha256"]?.string {
                bulletin = try await client.json(APIRoutes.approve(sha))
            }
            api.output(bulletin, BulletinsCommand.line)
        }
    }

    struct Say: APICommand {
        static let configuration = CommandConfiguration(
            abstract: "A bulletin from text, spoken by the controller (eSpeak NG, Vietnamese). Prints its SHA-256, or with --preview saves the speech as WAV and stores nothing.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The text, or - to read it from standard input.") var text: String
        @Option(help: "Title (default: the first words).") var title: String?
        @Option(help: "vi (Northern), vi-vn-x-central or vi-vn-x-south.") var voice: String?
        @Option(help: "Words a minute, 80 to 300 (default 140).") var rate: Int?
        @Option(help: "Pitch, 0 to 99 (default 50).") var pitch: Int?
        @Option(help: "Write the speech to this WAV file instead of saving a bulletin.") var preview: String?
        @Flag(help: "Approve it at once (admin and operator).") var approve = false
        func run(_ client: APIClient) async throws {
            let spoken = text == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : text
            var body: [String: JSONValue] = ["text": .string(spoken)]
            if let title { body["title"] = .string(title) }
            if let voice { body["voice"] = .string(voice) }
            if let rate { body["rate"] = .number(Double(rate)) }
            if let pitch { body["pitch"] = .number(Double(pitch)) }
            if let preview {
                let answer = try await client.send(APIRoutes.speech(.object(body), preview: true))
                do { try writeOutput([UInt8](answer.body), to: preview) } catch {
                    throw APIFailure.file("\(error)", status: ExitStatus.cannotCreate)
                }
                if !api.json { print("\(answer.body.count) bytes of speech written to \(preview)") }
                return
            }
            var bulletin = try await client.json(APIRoutes.speech(.object(body), preview: false))
            if approve, bulletin["state"]?.string == "draft", let sha = bulletin["sha256"]?.string {
                bulletin = try await client.json(APIRoutes.approve(sha))
            }
            api.output(bulletin, BulletinsCommand.line)
        }
    }

    struct Show: APICommand {
        static let configuration = CommandConfiguration(abstract: "One bulletin.")
        @OptionGroup var api: APIOptions
        @Argument(help: "SHA-256 (or a unique prefix).") var sha256: String
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.bulletin(try await resolveBulletin(sha256, client))), APITables.bulletin)
        }
    }

    struct Approve: APICommand {
        static let configuration = CommandConfiguration(abstract: "Approve a draft bulletin so it can be scheduled.")
        @OptionGroup var api: APIOptions
        @Argument(help: "SHA-256 (or a unique prefix).") var sha256: String
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.approve(try await resolveBulletin(sha256, client))), BulletinsCommand.line)
        }
    }

    struct Archive: APICommand {
        static let configuration = CommandConfiguration(abstract: "Archive a bulletin (no longer scheduled anew).")
        @OptionGroup var api: APIOptions
        @Argument(help: "SHA-256 (or a unique prefix).") var sha256: String
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.archive(try await resolveBulletin(sha256, client))), BulletinsCommand.line)
        }
    }

    struct Download: APICommand {
        static let configuration = CommandConfiguration(abstract: "Save a bulletin's MP3 as the gateways receive it.")
        @OptionGroup var api: APIOptions
        @Argument(help: "SHA-256 (or a unique prefix).") var sha256: String
        @Option(name: .shortAndLong, help: "Output file.") var output: String
        func run(_ client: APIClient) async throws {
            let answer = try await client.send(APIRoutes.audio(try await resolveBulletin(sha256, client)))
            do { try writeOutput([UInt8](answer.body), to: output) } catch {
                throw APIFailure.file("\(error)", status: ExitStatus.cannotCreate)
            }
            if !api.json { print("\(answer.body.count) bytes written to \(output)") }
        }
    }

    /// One line per bulletin: what scripts cut the SHA-256 from (`cut -d' ' -f1`).
    static func line(_ b: JSONValue) -> String {
        "\(b["sha256"]?.cell ?? "-") \(b["state"]?.cell ?? "-") \(APITables.duration(b["durationMs"])) \(b["title"]?.cell ?? "")"
    }
}

/// Uploads `path` as a bulletin (an identical file gives back the stored one).
func upload(_ path: String, title: String?, _ client: APIClient) async throws -> JSONValue {
    guard let bytes = FileManager.default.contents(atPath: path) else {
        throw APIFailure.file("cannot read '\(path)'", status: ExitStatus.noInput)
    }
    return try await client.json(APIRoutes.upload(bytes, fileName: path, title: title))
}

/// A full SHA-256 as is; a shorter hex prefix is looked up among the bulletins in scope.
func resolveBulletin(_ text: String, _ client: APIClient) async throws -> String {
    let lower = text.lowercased()
    guard lower.allSatisfy(\.isHexDigit), !lower.isEmpty else {
        throw APIFailure.usage("'\(text)' is not a bulletin SHA-256 (64 hex digits, or a unique prefix of one)")
    }
    if lower.count == 64 { return lower }
    let matches = try await client.list(APIRoutes.bulletins(state: nil), limit: 0, all: true)
        .compactMap { $0["sha256"]?.string }.filter { $0.hasPrefix(lower) }
    guard matches.count == 1 else {
        throw APIFailure.usage(matches.isEmpty ? "no bulletin starts with \(lower)" : "\(lower) matches \(matches.count) bulletins; give more digits")
    }
    return matches[0]
}
