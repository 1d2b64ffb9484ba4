#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Opening the cache: verify `cache/`, quarantine what fails, keep resumable partials.
extension ContentCache {
    static func recover(root: String, logger: Logger) throws(DiskError) -> ([ContentAddress: CacheEntry], CacheStartupReport) {
        var report = CacheStartupReport()
        var entries: [ContentAddress: CacheEntry] = [:]
        let cache = root + "/cache"
        for name in DiskFile.list(cache) {
            let path = cache + "/" + name
            guard let address = ContentAddress(hex: name), address.hex == name else {
                report.quarantined.append(try quarantine(name: name, root: root, reason: "not named by a SHA-256 content address", logger: logger))
                continue
            }
            let computed = try ContentHasher.hash(file: path)
            switch ContentVerification.check(expected: address, computed: computed.address) {
            case .verified:
                let modified = DiskFile.status(path)?.modified ?? Date(timeIntervalSince1970: 0)
                entries[address] = CacheEntry(address: address, size: computed.size, lastUsed: modified)
                report.verified += 1
            case .mismatch(let actual):
                let reason = "SHA-256 mismatch at startup: computed \(actual.hex) over \(computed.size) bytes"
                report.quarantined.append(try quarantine(name: name, root: root, reason: reason, logger: logger))
            }
        }
        let partial = root + "/partial"
        for name in DiskFile.list(partial) {
            let path = partial + "/" + name
            if name.hasSuffix(".part"), let address = ContentAddress(hex: String(name.dropLast(5))), address.hex + ".part" == name {
                report.partials[address] = DiskFile.status(path)?.size ?? 0
            } else {
                try DiskFile.remove(path)
                report.removed.append(name)
            }
        }
        if !report.removed.isEmpty { try DiskFile.syncDirectory(partial) }
        if !report.quarantined.isEmpty { try DiskFile.syncDirectory(cache) }
        return (entries, report)
    }

    /// Moves `cache/<name>` into `quarantine/`, writing the reason beside it. A name already
    /// in quarantine gets a numeric suffix, so earlier evidence is kept.
    static func quarantine(name: String, root: String, reason: String, logger: Logger) throws(DiskError) -> QuarantinedContent {
        let quarantine = root + "/quarantine"
        var target = quarantine + "/" + name
        var attempt = 1
        while FileManager.default.fileExists(atPath: target) {
            target = quarantine + "/" + name + ".\(attempt)"
            attempt += 1
        }
        try DiskFile.writeAtomically(Array((reason + "\n").utf8), to: target + ".reason")
        try DiskFile.rename(root + "/cache/" + name, to: target)
        try DiskFile.syncDirectory(quarantine)
        logger.error("quarantined cached content", metadata: ["bulletin.sha256": "\(name)", "reason": "\(reason)"])
        return QuarantinedContent(name: name, path: target, reason: reason)
    }
}
