import Foundation

/// What `loactl login` stores at `$LOA_CONFIG_DIR/session.json` (default
/// `~/.config/loa/session.json`, mode 0600) and every other API command reads.
struct Session: Codable, Equatable, Sendable {
    var controller: String
    var token: String
    var expiresAt: String
    var username: String

    /// Where the session file lives for this environment.
    static func path(environment: [String: String]) -> String {
        if let directory = environment["LOA_CONFIG_DIR"], !directory.isEmpty {
            return directory + "/session.json"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/loa/session.json"
    }

    static func load(path: String) throws -> Session? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(Session.self, from: data)
        } catch {
            throw APIFailure.notLoggedIn("the session file \(path) is not valid (\(error)); run 'loactl login' again")
        }
    }

    /// Writes the file with mode 0600 from the start (the token never sits world-readable).
    func save(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let bytes = try encoder.encode(self)
            let temporary = path + ".tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fchmod(fd, 0o600)
            close(fd)
            guard written == bytes.count, rename(temporary, path) == 0 else { throw POSIXError(.EIO) }
        } catch {
            throw APIFailure.file("cannot write the session file \(path): \(error)", status: ExitStatus.cannotCreate)
        }
    }
}

/// Where to send requests and with which token: `--controller` over `LOA_CONTROLLER` over the
/// session file; `LOA_TOKEN` over the session's token.
struct Connection: Equatable, Sendable {
    var controller: URL
    var token: String?

    static func resolve(flag: String?, environment: [String: String], session: Session?, needsToken: Bool) throws -> Connection {
        let text = flag ?? environment["LOA_CONTROLLER"].flatMap { $0.isEmpty ? nil : $0 } ?? session?.controller
        guard let text else {
            throw APIFailure.notLoggedIn("no controller given: run 'loactl login --controller http://HOST:8080 --user NAME', "
                                         + "or pass --controller URL, or set LOA_CONTROLLER")
        }
        let controller = try controllerURL(text)
        var token = environment["LOA_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        // A stored token is only sent to the controller it came from.
        if token == nil, let session, (try? controllerURL(session.controller)) == controller { token = session.token }
        if needsToken && token == nil {
            throw APIFailure.notLoggedIn("not logged in to \(controller.absoluteString): run 'loactl login --controller \(controller.absoluteString) --user NAME' or set LOA_TOKEN")
        }
        return Connection(controller: controller, token: token)
    }

    /// Accepts `http://host:port[/prefix]`, `https://…`, or a bare `host:port` (http).
    static func controllerURL(_ text: String) throws -> URL {
        var text = text.trimmingCharacters(in: .whitespaces)
        if !text.contains("://") { text = "http://" + text }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw APIFailure.usage("'\(text)' is not a controller URL; give e.g. http://127.0.0.1:8080")
        }
        return url
    }
}
