import Foundation
import LoaGateway
#if canImport(Glibc)
import Glibc
#endif

/// One request over the gateway's control socket: connect, send a JSON line, read the JSON
/// line back. Errors say what a technician can do (start the daemon, join the group, …).
struct GatewayClient {
    static let defaultSocket = "/run/loa-gateway/control.sock"
    let path: String
    var timeout: TimeInterval = 10

    /// The raw answer line (without the newline).
    func send(_ request: ControlRequest) throws(GatewayClientError) -> [UInt8] {
        guard path.utf8.count <= 107 else { throw .init("socket path \(path) is longer than 107 bytes") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .init("cannot create a socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeoutValue = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeoutValue, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeoutValue, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            switch code {
            case ENOENT, ECONNREFUSED:
                throw .init("no gateway answers on \(path): is loa-gateway running (systemctl status loa-gateway)? "
                            + "Another path: --socket PATH or LOA_GATEWAY_SOCKET")
            case EACCES, EPERM:
                throw .init("permission denied on \(path): run as root or as a member of the loa group")
            default:
                throw .init("cannot connect to \(path): \(String(cString: strerror(code)))")
            }
        }
        let line = request.encoded + [0x0A]
        let written = line.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard written == line.count else { throw .init("cannot send the request to \(path): \(String(cString: strerror(errno)))") }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw .init("no answer from \(path) within \(Int(timeout)) s") }
            if count == 0 { break }
            answer += buffer.prefix(count)
            if answer.last == 0x0A { break }
        }
        if answer.last == 0x0A { answer.removeLast() }
        guard !answer.isEmpty else { throw .init("the gateway closed the connection without an answer") }
        return answer
    }
}

/// A failed exchange with the gateway, in words for the technician.
struct GatewayClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
