#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaService
#if canImport(Glibc)
import Glibc
#endif

/// Reads the machine's vital signs from /proc, statvfs and /sys/class/thermal. The parsers
/// are pure (tests feed them text); `read` does the file I/O.
public struct SystemProbe: Sendable {
    /// What one reading found; nil where the source is missing.
    public struct Reading: Sendable, Equatable {
        public var uptimeSeconds: Int64?
        public var load1: Double?
        public var memoryUsedBytes: UInt64?
        public var memoryTotalBytes: UInt64?
        public var diskFreeBytes: UInt64?
        public var diskTotalBytes: UInt64?
        public var temperatureCelsius: Double?
    }

    public let stateDirectory: String
    public var procRoot = "/proc"
    public var thermalRoot = "/sys/class/thermal"

    public init(stateDirectory: String) { self.stateDirectory = stateDirectory }

    public func read() -> Reading {
        var reading = Reading()
        reading.uptimeSeconds = text(procRoot + "/uptime").flatMap(Self.uptime)
        reading.load1 = text(procRoot + "/loadavg").flatMap(Self.load1)
        if let memory = text(procRoot + "/meminfo").flatMap(Self.memory) {
            reading.memoryTotalBytes = memory.total
            reading.memoryUsedBytes = memory.total - min(memory.total, memory.available)
        }
        var fs = statvfs()
        if statvfs(stateDirectory, &fs) == 0 {
            reading.diskFreeBytes = UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
            reading.diskTotalBytes = UInt64(fs.f_blocks) * UInt64(fs.f_frsize)
        }
        reading.temperatureCelsius = text(thermalRoot + "/thermal_zone0/temp").flatMap(Self.temperature)
        return reading
    }

    private func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// "12345.67 890.12" → 12345.
    static func uptime(_ text: String) -> Int64? {
        text.split(separator: " ").first.flatMap { Double($0) }.map { Int64($0) }
    }

    /// "0.52 0.40 0.33 1/123 4567" → 0.52.
    static func load1(_ text: String) -> Double? {
        text.split(separator: " ").first.flatMap { Double($0) }
    }

    /// MemTotal and MemAvailable (kB in the file) in bytes.
    static func memory(_ text: String) -> (total: UInt64, available: UInt64)? {
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            if parts.count >= 2, let kb = UInt64(parts[1]) { values[String(parts[0])] = kb * 1024 }
        }
        guard let total = values["MemTotal"] else { return nil }
        return (total, values["MemAvailable"] ?? values["MemFree"] ?? 0)
    }

    /// Millidegrees → degrees.
    static func temperature(_ text: String) -> Double? {
        Double(text.trimmingWhitespace).map { $0 / 1000 }
    }
}
