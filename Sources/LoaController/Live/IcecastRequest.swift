import Foundation

/// The head of a request on the Icecast-compatible port, parsed without I/O: a source client's
/// `SOURCE` (Icecast's legacy method: butt, darkice, Mixxx, `ffmpeg -legacy_icecast 1`) or
/// `PUT` (Icecast 2.4+, ffmpeg's default), or a listener's `GET`, on `/live/{id}` (an optional
/// extension such as `.mp3` is ignored). Source clients send their body raw after the head, with
/// no length and no chunking, until they hang up — which is why this is not the HTTP API's port.
struct IcecastRequest: Equatable, Sendable {
    enum Method: String, Sendable { case source = "SOURCE", put = "PUT", get = "GET" }

    var method: Method
    var streamID: Int64
    /// The password of `Authorization: Basic` (any user; Icecast's is `source`).
    var password: String?
    /// `?key=` of a listener's URL.
    var listenKey: String?
    var contentType: String?
    var expectsContinue: Bool
    /// `ice-*` / `icy-*` headers the source sent (name, description, genre …), kept for the log.
    var metadata: [String: String]

    /// The most head bytes accepted before `\r\n\r\n`.
    static let maxHeadBytes = 8 * 1024

    /// Why a head is refused, as the status line and words the client gets.
    struct Refusal: Error, Equatable, Sendable {
        var status: Int
        var reason: String

        var statusLine: String {
            let phrase = [400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                          409: "Conflict", 410: "Gone", 415: "Unsupported Media Type", 431: "Request Header Fields Too Large",
                          503: "Service Unavailable"][status] ?? "Error"
            return "\(status) \(phrase)"
        }
    }

    /// The end of the head in `bytes` (the index after the blank line), nil while incomplete.
    /// Lines may end in `\n` alone: darkice ends its header lines so, all but the last.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for index in 1..<bytes.count where bytes[index] == 10 {
            if bytes[index - 1] == 10 || (index >= 2 && bytes[index - 1] == 13 && bytes[index - 2] == 10) { return index + 1 }
        }
        return nil
    }

    static func parse(_ head: [UInt8]) throws(Refusal) -> IcecastRequest {
        guard let text = String(validating: head, as: UTF8.self) ?? String(validating: head, as: Unicode.ASCII.self) else {
            throw Refusal(status: 400, reason: "the request head is not text")
        }
        // By scalars: "\r\n" is one Character, so a split on Characters would not see the "\n".
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line[...]))
        }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") || requestLine[2] == "ICE/1.0" else {
            throw Refusal(status: 400, reason: "the first line must be 'METHOD /live/ID HTTP/1.x'")
        }
        guard let method = Method(rawValue: String(requestLine[0])) else {
            throw Refusal(status: 405, reason: "method '\(requestLine[0].prefix(16))' is not used here: sources send SOURCE or PUT, listeners GET")
        }
        let target = String(requestLine[1])
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(pathPart[0])
        let query = pathPart.count > 1 ? String(pathPart[1]) : ""
        guard let id = Self.streamID(path) else {
            throw Refusal(status: 404, reason: "mount '\(path.prefix(80))' does not exist; mounts are /live/ID for the live streams created with POST /api/v1/live")
        }
        var request = IcecastRequest(method: method, streamID: id, password: nil, listenKey: Self.queryValue("key", in: query),
                                     contentType: nil, expectsContinue: false, metadata: [:])
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw Refusal(status: 400, reason: "a header line has no ':'") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "authorization":
                request.password = try Self.basicPassword(value)
            case "content-type":
                request.contentType = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            case "expect":
                request.expectsContinue = value.lowercased() == "100-continue"
            default:
                if name.hasPrefix("ice-") || name.hasPrefix("icy-") { request.metadata[name] = String(value.prefix(200)) }
            }
        }
        return request
    }

    /// The FFmpeg container a source's Content-Type names (nil: let FFmpeg probe); refused when
    /// it is plainly not audio.
    static func container(forContentType type: String?) throws(Refusal) -> String? {
        guard let type else { return nil }
        switch type {
        case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg": return "mp3"
        case "audio/aac", "audio/aacp", "audio/x-aac": return "aac"
        case "audio/ogg", "application/ogg", "audio/opus", "audio/vorbis": return "ogg"
        case "audio/webm", "video/webm": return "matroska"
        case "application/octet-stream": return nil
        default:
            guard type.hasPrefix("audio/") else {
                throw Refusal(status: 415, reason: "Content-Type '\(type.prefix(60))' is not audio; send audio/mpeg, audio/aac or audio/ogg")
            }
            return nil
        }
    }

    private static func streamID(_ path: String) -> Int64? {
        guard path.hasPrefix("/live/") else { return nil }
        var name = path.dropFirst("/live/".count)
        if let dot = name.firstIndex(of: ".") { name = name[..<dot] }
        guard !name.isEmpty, name.count <= 18, name.allSatisfy(\.isASCII), let id = Int64(name), id > 0 else { return nil }
        return id
    }

    private static func queryValue(_ key: String, in query: String) -> String? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] == key { return String(parts[1]).removingPercentEncoding ?? String(parts[1]) }
        }
        return nil
    }

    private static func basicPassword(_ value: String) throws(Refusal) -> String {
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic", let data = Data(base64Encoded: String(parts[1])),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else {
            throw Refusal(status: 401, reason: "send the stream's source key as HTTP Basic credentials (source:KEY)")
        }
        return String(text[text.index(after: colon)...])
    }
}
