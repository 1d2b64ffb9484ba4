#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `AnnouncementLedger` on disk: `<state>/announcements.json`, replaced atomically (temp
/// file, fsync, rename) at each change, so a kill -9 at any instant leaves the previous or the
/// new ledger, never a torn one. Changes are rare (a few per announcement).
public struct AnnouncementStore: Sendable {
    public let path: String

    public init(stateDirectory: String) {
        path = stateDirectory + "/announcements.json"
        // A crash between temp write and rename leaves a stray temp file: the ledger is the old one.
        let directory = PathText.directory(of: path)
        let prefix = PathText.lastComponent(of: path) + "."
        for name in DiskFile.list(directory) where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            try? DiskFile.remove(directory + "/" + name)
        }
    }

    /// The stored ledger; empty when none was stored yet.
    public func load() throws(AnnouncementStoreError) -> AnnouncementLedger {
        guard let data = FileManager.default.contents(atPath: path) else { return AnnouncementLedger() }
        do {
            return try Self.decoder.decode(AnnouncementLedger.self, from: data)
        } catch {
            // Kept aside for a technician; the next change writes a fresh ledger.
            try? DiskFile.rename(path, to: path + ".damaged")
            throw .damaged(path: path, reason: "\(error)")
        }
    }

    public func save(_ ledger: AnnouncementLedger) throws(AnnouncementStoreError) {
        let data: Data
        do { data = try Self.encoder.encode(ledger) } catch { throw .damaged(path: path, reason: "cannot encode: \(error)") }
        do { try DiskFile.writeAtomically(data, to: path) } catch { throw .disk(error) }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}

/// Why the announcement ledger could not be read or written.
public enum AnnouncementStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case damaged(path: String, reason: String)
    case disk(DiskError)

    public var description: String {
        switch self {
        case .damaged(let path, let reason):
            return "\(path) is not a readable announcement ledger (\(reason)); kept as \(path).damaged and started afresh: "
                + "the controller sends its active announcements again at the next connection"
        case .disk(let error):
            return "announcement ledger: \(error)"
        }
    }
}
