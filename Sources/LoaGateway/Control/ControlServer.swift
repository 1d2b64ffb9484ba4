#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The technician's control socket: a Unix stream socket (mode 0660, group `loa`, so root and
/// that group may use it), one JSON request line per connection, one JSON answer line back.
/// Plain sockets on a thread of its own: it never touches the player's or the link's threads,
/// and the `ControlResponder` holds all the logic. A stale socket file from a crash is replaced;
/// a live one (another gateway answering) is an error.
public final class ControlServer: @unchecked Sendable {
    public struct Settings: Sendable {
        public var path: String
        /// Group owning the socket; nil leaves the daemon's own group.
        public var group: String?
        public var mode: mode_t
        /// How long a client may take to send its line, and to take the answer.
        public var ioTimeout: TimeInterval

        public init(path: String, group: String?, mode: mode_t = 0o660, ioTimeout: TimeInterval = 2) {
            self.path = path
            self.group = group
            self.mode = mode
            self.ioTimeout = ioTimeout
        }
    }

    public let settings: Settings
    private let responder: ControlResponder
    private let logger: Logger
    private let lock = NIOLock()
    private var listening: Int32 = -1
    /// A pipe whose write end `stop` writes to, waking the serving thread's poll at once.
    private var wakeFDs: (read: Int32, write: Int32) = (-1, -1)
    private var stopping = false
    /// Fired by the serving thread as it ends.
    private let exited = OneShotEvent()

    public init(settings: Settings, responder: ControlResponder, logger: Logger) {
        self.settings = settings
        self.responder = responder
        self.logger = logger
    }

    /// Binds the socket (replacing a stale file), sets its mode and group, and starts serving.
    public func start() throws(ControlServerError) {
        let path = settings.path
        guard path.utf8.count <= 107 else { throw .pathTooLong(path) }
        let directory = PathText.directory(of: path)
        var info = stat()
        guard stat(directory.isEmpty ? "." : directory, &info) == 0 else { throw .directoryMissing(directory) }
        try removeStale(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(operation: "socket", path: path, errno: errno) }
        var address = Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .system(operation: "bind", path: path, errno: code)
        }
        guard chmod(path, settings.mode) == 0 else {
            let code = errno
            close(fd)
            unlink(path)
            throw .system(operation: "chmod", path: path, errno: code)
        }
        if let group = settings.group {
            if let entry = getgrnam(group) {
                if chown(path, uid_t.max, entry.pointee.gr_gid) != 0 {
                    logger.warning("control socket group not set; only the daemon's user and group can use it",
                                   metadata: ["group": "\(group)", "error": "\(String(cString: strerror(errno)))"])
                }
            } else {
                logger.warning("control socket group does not exist; only the daemon's user and group (and root) can use it",
                               metadata: ["group": "\(group)"])
            }
        }
        guard listen(fd, 8) == 0 else {
            let code = errno
            close(fd)
            unlink(path)
            throw .system(operation: "listen", path: path, errno: code)
        }
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            let code = errno
            close(fd)
            unlink(path)
            throw .system(operation: "pipe", path: path, errno: code)
        }
        let wake = (read: pipeFDs[0], write: pipeFDs[1])
        for end in pipeFDs {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)  // not inherited by the amplifier's command hook
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        lock.withLock {
            listening = fd
            wakeFDs = wake
        }
        PlatformThread.detach(name: "loa-control") { [self] in
            serve(fd, wake: wake.read)
            exited.fire()
        }
        logger.info("control socket ready", metadata: ["path": "\(path)"])
    }

    /// Stops serving (the poll is woken through a pipe, or a request in hand is finished) and
    /// removes the socket file.
    public func stop() async {
        let (fd, wake): (Int32, (read: Int32, write: Int32)) = lock.withLock {
            stopping = true
            return (listening, wakeFDs)
        }
        guard fd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
        _ = await exited.wait(timeout: .seconds(2))
        close(fd)
        close(wake.read)
        close(wake.write)
        unlink(settings.path)
        lock.withLock {
            listening = -1
            wakeFDs = (-1, -1)
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func removeStale(_ path: String) throws(ControlServerError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { throw .notASocket(path) }
        // Someone answering there means a second gateway; otherwise the file is left from a crash.
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if probe >= 0 {
            var address = Self.address(path)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            close(probe)
            if connected == 0 { throw .inUse(path) }
        }
        guard unlink(path) == 0 || errno == ENOENT else { throw .system(operation: "unlink stale socket", path: path, errno: errno) }
        logger.notice("replaced a stale control socket", metadata: ["path": "\(path)"])
    }

    private func serve(_ fd: Int32, wake: Int32) {
        while !isStopping {
            var pollers = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&pollers, 2, 1_000)
            guard ready > 0, pollers[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // not inherited by the amplifier's command hook
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: Int(settings.ioTimeout), tv_usec: Int(settings.ioTimeout.truncatingRemainder(dividingBy: 1) * 1e6))
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let limit = ControlRequest.maximumBytes
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1_024)
        var complete = false
        while line.count <= limit {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }  // EOF, timeout or error: answer what arrived (or nothing)
            if let newline = buffer.prefix(count).firstIndex(of: 0x0A) {
                line += buffer[..<newline]
                complete = true
                break
            }
            line += buffer.prefix(count)
        }
        if !complete && line.isEmpty { return }
        let answer: [UInt8]
        if line.count > limit {
            answer = ControlAnswer.failure(.requestTooLong(bytes: line.count, limit: limit)).encoded
            logger.warning("control request refused: too long", metadata: ["bytes": "\(line.count)"])
        } else {
            answer = responder.answer(line: line)
        }
        let out = answer + [0x0A]
        var sent = 0
        while sent < out.count {
            let count = out.withUnsafeBytes { send(client, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8.prefix(raw.count - 1)))
        }
        return address
    }
}
