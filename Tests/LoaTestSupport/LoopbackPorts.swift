#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Loopback TCP ports for tests that start real servers (an upstream's HTTP server, a silent
/// peer): one that nothing listens on, and whether something listens on one.
public enum LoopbackPorts {
    /// A port free a moment ago, for a server the test starts — taken below the kernel's
    /// ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, 32768–60999 by default), so that
    /// no outgoing connection (a gateway dialling, an HTTP client) and no other bind to port 0
    /// can take it between this check and the server's bind: a port bound to 0 and released
    /// comes from that very range, and a parallel scenario's gateway took one once (CI, "bind:
    /// Address already in use"). Ports handed out in this process are never handed out twice.
    public static func free() -> Int {
        let low = ephemeralRangeStart()
        let span = max(1, low - floor)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let port = floor + Int(generator.next(upperBound: UInt(span)))
            guard bindable(port) else { continue }
            if given.withLock({ $0.insert(port).inserted }) { return port }
        }
        fatalError("no free TCP port on 127.0.0.1 between \(floor) and \(low)")
    }

    /// Ports below this are left to system services.
    private static let floor = 20_000
    private static let given = Mutex<Set<Int>>([])

    private static func ephemeralRangeStart() -> Int {
        guard let file = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r") else { return 32_768 }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = fread(&buffer, 1, buffer.count, file)
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first,
              let low = Int(first), low > floor else { return 32_768 }
        return low
    }

    private static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted.
    public static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    public static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
