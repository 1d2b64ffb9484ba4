import Foundation
import LoaAudio
#if canImport(Glibc)
import Glibc
#endif

/// `loactl live send`'s transport: one HTTP/1.1 PUT with a chunked body over a plain TCP
/// socket (URLSession cannot pace an upload), the MP3 sent as it is read and paced by its
/// frames' durations so the controller gets it in real time, like from an encoder. An early
/// answer (401, 409, 415 …) or the controller closing the connection (stream stopped) ends it.
struct LiveSender {
    let host: String
    let port: Int
    let path: String
    let authorization: String
    /// Audio sent ahead of real time, so the controller never waits for us.
    static let leadSeconds = 0.5

    init(controller: URL, path: String, authorization: String) throws {
        guard controller.scheme == "http", let host = controller.host, !host.isEmpty else {
            throw APIFailure.usage("live send speaks plain http:// to the controller, not \(controller.absoluteString); "
                                   + "behind TLS use an encoder (ffmpeg … -method PUT https://source:KEY@…)")
        }
        self.host = host
        self.port = controller.port ?? 80
        var prefix = controller.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.path = prefix + path
        self.authorization = authorization
    }

    func send(reading input: FileHandle, progress: @Sendable (String) -> Void) async throws -> APIResponse {
        let fd = try connect()
        defer { close(fd) }
        let head = "PUT \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAuthorization: \(authorization)\r\n"
            + "Content-Type: audio/mpeg\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nUser-Agent: loactl\r\n\r\n"
        guard write(fd, Array(head.utf8)) else { return try readAnswer(fd) }
        var splitter = MP3FrameSplitter()
        let started = ContinuousClock.now
        var audioSeconds = 0.0
        var reported = 0.0
        while true {
            let data = try input.read(upToCount: 8_192) ?? Data()
            let frames = data.isEmpty ? splitter.finish() : splitter.append(data)
            if !data.isEmpty {
                let chunk = Array(String(data.count, radix: 16).utf8) + [13, 10] + [UInt8](data) + [13, 10]
                guard write(fd, chunk) else { return try readAnswer(fd) }
            }
            if readable(fd) { return try readAnswer(fd) }
            audioSeconds += frames.reduce(0.0) { $0 + Double($1.header.samplesPerFrame) / Double($1.header.sampleRate) }
            if audioSeconds - reported >= 10 {
                reported = audioSeconds
                progress("sent \(Int(audioSeconds)) s of audio")
            }
            if data.isEmpty { break }
            let due = started + .milliseconds(Int64((audioSeconds - Self.leadSeconds) * 1_000))
            if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
        }
        _ = write(fd, Array("0\r\n\r\n".utf8))
        return try readAnswer(fd)
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw APIFailure.unreachable(controller: "\(host):\(port)", reason: "cannot resolve the host")
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            entry = info.pointee.ai_next
        }
        throw APIFailure.unreachable(controller: "\(host):\(port)", reason: String(cString: strerror(errno)))
    }

    /// False when the connection is gone (the controller answered and closed, or stopped the stream).
    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    private func readable(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0
    }

    /// The controller's answer: status line, headers, body up to Content-Length or the close.
    private func readAnswer(_ fd: Int32) throws -> APIResponse {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var headerEnd: Int?
        var length: Int?
        while true {
            if let headerEnd, let length, bytes.count >= headerEnd + length { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
            if headerEnd == nil, let range = findHeaderEnd(bytes) {
                headerEnd = range
                length = headerValue("content-length", in: bytes[0..<range]).flatMap { Int($0) }
            }
        }
        guard let headerEnd else {
            throw APIFailure.unreachable(controller: "\(host):\(port)",
                                         reason: "the controller closed the source connection without an answer (stream stopped?)")
        }
        let head = String(decoding: bytes[0..<headerEnd], as: UTF8.self)
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return APIResponse(status: status, contentType: headerValue("content-type", in: bytes[0..<headerEnd]),
                           retryAfter: headerValue("retry-after", in: bytes[0..<headerEnd]), body: Data(bytes[headerEnd...]))
    }

    private func findHeaderEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    private func headerValue(_ name: String, in head: ArraySlice<UInt8>) -> String? {
        for line in String(decoding: head, as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name { return parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
}
