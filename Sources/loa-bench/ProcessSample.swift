#if canImport(Glibc)
import Glibc
#endif

/// The controller's CPU time and resident memory, read from /proc (the pid from a file the
/// driver rewrites when it restarts the controller).
struct ProcessSample {
    var pid: Int32
    /// utime + stime, seconds.
    var cpuSeconds: Double
    var rssKiB: Int

    static func read(pidFile: String) -> ProcessSample? {
        guard let text = readText(pidFile), let pid = Int32(text.trimmingWhitespace()) else { return nil }
        return read(pid: pid)
    }

    static func read(pid: Int32) -> ProcessSample? {
        guard let stat = readText("/proc/\(pid)/stat"), let status = readText("/proc/\(pid)/status") else { return nil }
        // Fields after the command name, which is in parentheses and may hold spaces.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        guard fields.count > 13, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        return ProcessSample(pid: pid, cpuSeconds: (utime + stime) / ticks, rssKiB: rss)
    }

    private static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
