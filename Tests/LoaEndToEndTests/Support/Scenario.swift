import Foundation
import Testing

/// Runs one scenario on its own `LoaSystem` and always stops its processes. The scratch
/// directory (configs, logs, state) is kept when the scenario throws, or always with
/// LOA_E2E_KEEP=1; its path is in the failure message.
func scenario(_ name: String, chunkBytes: Int = 32_768, _ body: (LoaSystem) async throws -> Void) async throws {
    let system = try LoaSystem(name, chunkBytes: chunkBytes)
    do {
        try await body(system)
    } catch {
        Issue.record("\(name): \(error)\nscratch kept: \(system.scratch.path)")
        await system.shutdown(keep: true)
        return
    }
    let keep = ProcessInfo.processInfo.environment["LOA_E2E_KEEP"] == "1"
    if keep { print("\(name): scratch kept at \(system.scratch.path)") }
    await system.shutdown(keep: keep)
}

/// Audio comparisons between what a gateway played and what it had to play.
enum AudioMatch {
    /// Where `needle` (without its leading silence) starts in `haystack`, or nil. Exact: the
    /// gateway plays the decoded samples unchanged at the default volume.
    static func find(_ needle: [Int16], in haystack: [Int16], from start: Int = 0) -> Int? {
        guard let n0 = needle.firstIndex(where: { $0 != 0 }) else { return nil }
        let body = Array(needle[n0...])
        let probe = Array(body.prefix(256))
        var index = start
        while index + body.count <= haystack.count {
            guard let candidate = haystack[index...].firstIndex(where: { $0 == probe[0] }) else { return nil }
            if candidate + body.count > haystack.count { return nil }
            if Array(haystack[candidate..<candidate + probe.count]) == probe,
               Array(haystack[candidate..<candidate + body.count]) == body { return candidate }
            index = candidate + 1
        }
        return nil
    }

    /// Where the first `count` non-silent samples of `needle` appear in `haystack` (a prefix
    /// that was cut by a preemption still matches).
    static func findPrefix(_ needle: [Int16], count: Int, in haystack: [Int16]) -> Int? {
        guard let n0 = needle.firstIndex(where: { $0 != 0 }) else { return nil }
        return find(Array(needle[n0..<min(needle.count, n0 + count)]), in: haystack)
    }
}
