import Foundation
import Logging
import Synchronization

/// A fresh directory under the system temp dir, removed by `cleanup()`.
struct ScratchDirectory {
    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// A file's text, or "" when it is missing (for test messages).
    func read(_ name: String) -> String { (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "" }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

enum TestLog {
    /// Logs only errors, so test output stays readable.
    static var quiet: Logger {
        var logger = Logger(label: "loa.controller.test", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        return logger
    }
}

/// Lines the test ends write, read back by polling (simple and immune to ordering races).
final class EventLog: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var all: [String] { lines.withLock { $0 } }

    /// Waits up to `seconds` for a line satisfying `predicate`; returns it or nil.
    func wait(seconds: Double = 30, for predicate: (String) -> Bool) async -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = all.first(where: predicate) { return line }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func wait(seconds: Double = 30, prefix: String) async -> String? {
        await wait(seconds: seconds) { $0.hasPrefix(prefix) }
    }

    func count(prefix: String) -> Int { all.filter { $0.hasPrefix(prefix) }.count }
}

/// Polls an async condition until it holds or the time is up.
func eventually(seconds: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return false
}
