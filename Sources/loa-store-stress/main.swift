// loa-store-stress: hammers the gateway's local state (schedule writes, content downloads,
// outbox appends and acknowledgements) in an endless loop, so a test can kill it with SIGKILL
// at random instants and check the invariants after each restart.
//
// usage: loa-store-stress <state-directory> <seed>
//
// It appends what it has *completed* to <state-directory>/stress.log (one write per line):
//   S <version>   a schedule save returned
//   A <uuid>      a play event append returned
//   I <uuid>      about to acknowledge (the ack may or may not commit before a kill)
//   K <uuid>      an acknowledgement returned
import Foundation
import LoaGateway
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3, let seed = UInt64(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: loa-store-stress <state-directory> <seed>\n".utf8))
    exit(64)
}
let root = arguments[1]

/// The schedule document for a version: the checker recomputes it.
func scheduleDocument(_ version: UInt64) -> Data {
    Data(#"{"version":\#(version),"pad":"\#(String(repeating: "x", count: Int(version &* 37 % 5_000)))"}"#.utf8)
}

/// Deterministic content for item `index`.
func content(_ index: UInt64) -> [UInt8] {
    let size = 5_000 + Int(index &* 7_919 % 200_000)
    var state = seed ^ (index &* 0x9E37_79B9_7F4A_7C15)
    return (0 ..< size).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

let logFD = open(root + "/stress.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
func log(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(logFD, $0.baseAddress!, $0.count) }
}

/// Downloads (or resumes) item `index` in 16 KiB chunks; every fifth one with a flipped byte.
func download(_ bytes: [UInt8], address: ContentAddress, index: UInt64, needed: Set<ContentAddress>, into cache: ContentCache) throws(CacheError) {
    guard case .download(let download) = try cache.beginDownload(address, expectedSize: UInt64(bytes.count), needed: needed) else {
        return
    }
    var wrong = bytes
    if index % 5 == 0 { wrong[wrong.count / 2] ^= 0xFF }
    var offset = Int(download.offset)
    while offset < bytes.count {
        let end = min(offset + 16_384, bytes.count)
        _ = try download.append(wrong[offset ..< end])
        offset = end
    }
}

func run() throws {
    let state = try LocalState(root: root, cache: CacheConfiguration(quotaBytes: 1 << 20, partialSync: .everyBytes(32 << 10)), healthLimit: 5)
    var index = (try? state.schedule.load())?.version ?? 0
    while true {
        index += 1
        try state.schedule.save(StoredSchedule(version: index, document: scheduleDocument(index)))
        log("S \(index)")

        let bytes = content(index)
        let address = ContentAddress(of: bytes)
        let needed = Set(((index >= 2 ? index - 2 : 0) ... index).map { ContentAddress(of: content($0)) })
        do {
            try download(bytes, address: address, index: index, needed: needed, into: state.cache)
        } catch {
            guard case .hashMismatch = error else { throw error } // expected for the corrupt ones
        }

        for _ in 0 ..< 2 {
            let item = try state.outbox.append(.playEvent, payload: Data("played \(index)".utf8))
            log("A \(item.id)")
        }
        try state.outbox.append(.health, payload: Data("health \(index)".utf8))
        let acknowledged = try state.outbox.pending(limit: 3).map(\.id)
        for id in acknowledged { log("I \(id)") }
        try state.outbox.acknowledge(acknowledged)
        for id in acknowledged { log("K \(id)") }
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("loa-store-stress: \(error)\n".utf8))
    exit(1)
}
