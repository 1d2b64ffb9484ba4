#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaService

/// The volume a technician or the controller set last, kept in `<state>/volume` (one line,
/// 0–100) so it survives a restart; written atomically like every state file.
public struct VolumeSetting: Sendable {
    public let path: String

    public init(stateDirectory: String) { path = stateDirectory + "/volume" }

    /// The stored level; nil when none was stored. A damaged file is an error naming it.
    public func load() throws(VolumeSettingError) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingWhitespace
        guard let percent = Int(text), (0...100).contains(percent) else { throw .damaged(path: path, content: String(text.prefix(20))) }
        return percent
    }

    public func save(_ percent: Int) throws(DiskError) {
        try DiskFile.writeAtomically(Array("\(min(100, max(0, percent)))\n".utf8), to: path)
    }
}

/// Why the stored volume could not be read.
public enum VolumeSettingError: Error, Hashable, Sendable, CustomStringConvertible {
    case damaged(path: String, content: String)

    public var description: String {
        switch self {
        case .damaged(let path, let content):
            return "\(path) holds \"\(content)\", not a volume 0–100; set the volume again (loactl gateway volume N) to replace it"
        }
    }
}
