import Foundation
import LoaTestSupport

/// A fresh directory under /tmp for one scenario; kept when the scenario fails, so its logs
/// can be read (the path is in every failure message).
struct Scratch: Sendable {
    let path: String

    init(_ name: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("loa-e2e-\(name)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ text: String, to name: String) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// TCP ports on 127.0.0.1 that were free a moment ago, below the ephemeral range so that no
/// gateway's outgoing connection takes one before the server binds it (LoopbackPorts.free).
enum FreePort {
    static func next() throws -> Int { LoopbackPorts.free() }
}
