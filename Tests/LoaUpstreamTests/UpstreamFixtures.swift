import Foundation
import LoaTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Upstream material made once per test run by the `ffmpeg` program (a 440 Hz sine, 4 s,
/// 44.1 kHz stereo: MP3, AAC in ADTS, HLS playlists of AAC and of MP3 segments, one whose
/// segments are gone, a PNG, an HTML page) and served by Python's HTTP server on loopback, which
/// also answers a redirect loop and a stream of random bytes.
final class UpstreamFixtures: @unchecked Sendable {
    static var available: Bool { tool("ffmpeg") != nil && tool("python3") != nil }
    static let shared: UpstreamFixtures? = try? UpstreamFixtures()

    let directory: String
    let port: Int
    private let server: Process

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    private init() throws {
        directory = NSTemporaryDirectory() + "loa-upstream-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        for folder in ["hls-aac", "hls-mp3", "hls-broken"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        let sine = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=4", "-ac", "2"]
        try Self.ffmpeg(sine + ["-c:a", "libmp3lame", "-b:a", "128k", "tone.mp3"], in: directory)
        try Self.ffmpeg(sine + ["-c:a", "aac", "-b:a", "96k", "-f", "adts", "tone.aac"], in: directory)
        try Self.ffmpeg(sine + ["-c:a", "aac", "-b:a", "96k", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                                "-hls_segment_filename", "hls-aac/seg%03d.ts", "hls-aac/live.m3u8"], in: directory)
        try Self.ffmpeg(sine + ["-c:a", "libmp3lame", "-b:a", "128k", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                                "-hls_segment_filename", "hls-mp3/seg%03d.ts", "hls-mp3/live.m3u8"], in: directory)
        // A playlist whose segments answer 404.
        try FileManager.default.copyItem(atPath: directory + "/hls-aac/live.m3u8", toPath: directory + "/hls-broken/live.m3u8")
        try Self.ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", "image.png"], in: directory)
        try Data("<!doctype html><html><body><h1>Đài phát thanh</h1><p>Trang này không phải âm thanh.</p></body></html>\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/page.html"))
        port = Self.closedPort()
        server = Process()
        server.executableURL = URL(fileURLWithPath: Self.tool("python3")!)
        server.arguments = ["-c", Self.serverScript, String(port), directory]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port: port), Date() < deadline { usleep(50_000) }
    }

    /// SIGKILL: a child spawned from the test process inherits its blocked or ignored SIGTERM.
    deinit {
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
    }

    /// Python's file server, plus `/loop` (a redirect to itself, forever) and `/noise` (random
    /// bytes labelled audio/mpeg, without end). It exits when the test process is gone (a shared
    /// fixture is never deinitialised, and its server outlived the tests).
    static let serverScript = """
        import functools, http.server, os, sys, threading, time
        def orphaned(parent=os.getppid()):
            while os.getppid() == parent: time.sleep(1)
            os._exit(0)
        threading.Thread(target=orphaned, daemon=True).start()
        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith('/loop'):
                    self.send_response(302); self.send_header('Location', self.path); self.end_headers(); return
                if self.path.startswith('/noise'):
                    self.send_response(200); self.send_header('Content-Type', 'audio/mpeg'); self.end_headers()
                    try:
                        while True: self.wfile.write(os.urandom(64 * 1024))
                    except OSError: return
                super().do_GET()
            def log_message(self, *args): pass
        http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), functools.partial(Handler, directory=sys.argv[2])).serve_forever()
        """

    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func ffmpeg(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool("ffmpeg")!)
        process.arguments = ["-hide_banner", "-loglevel", "error", "-y"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func closedPort() -> Int { LoopbackPorts.free() }

    static func accepts(port: Int) -> Bool { LoopbackPorts.accepts(port) }
}

/// A TCP listener on loopback that accepts connections and never answers: an upstream that stalls.
final class SilentServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private var accepted: [Int32] = []
    private var closed = false
    private let lock = NSLock()

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = LoopbackPorts.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard withUnsafePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }) == 0,
              listen(listener, 8) == 0 else {
            Glibc.close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        fd = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        startAccepting()
    }

    private func startAccepting() {
        let listener = fd
        Thread { [weak self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                guard let self else { Glibc.close(client); return }
                self.lock.withLock { self.accepted.append(client) }
            }
        }.start()
    }

    deinit { close() }

    func close() {
        let clients: [Int32]? = lock.withLock {
            guard !closed else { return nil }
            closed = true
            defer { accepted = [] }
            return accepted
        }
        guard let clients else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        clients.forEach { Glibc.close($0) }
    }
}
