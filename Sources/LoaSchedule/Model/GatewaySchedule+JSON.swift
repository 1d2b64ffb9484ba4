#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GatewaySchedule: Codable {
    private enum CodingKeys: String, CodingKey { case version, timeZone, entries, relays }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            version: try c.decode(UInt64.self, forKey: .version),
            timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone) ?? GatewaySchedule.defaultTimeZone,
            entries: try c.decode([ScheduleEntry].self, forKey: .entries),
            relays: try c.decodeIfPresent([RelayEntry].self, forKey: .relays) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(entries, forKey: .entries)
        if !relays.isEmpty { try c.encode(relays, forKey: .relays) }
    }
}

extension GatewaySchedule {
    /// The canonical bytes: UTF-8 JSON, keys sorted, no whitespace, `/` unescaped, weekday sets
    /// sorted. Equal schedules give equal bytes, so the controller can hash or compare them.
    /// Entries keep their order (the controller decides it; order is not meaning here).
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, an integer or a container of those: encoding cannot fail.
        return try! encoder.encode(self)
    }

    /// Decodes a schedule document, turning Foundation's decoding errors into one that names
    /// the field.
    public static func decode(json: Data) throws(ScheduleDocumentError) -> GatewaySchedule {
        do {
            return try JSONDecoder().decode(GatewaySchedule.self, from: json)
        } catch let error as DecodingError {
            throw ScheduleDocumentError(error)
        } catch {
            throw ScheduleDocumentError(path: "", problem: "\(error)")
        }
    }
}

/// A schedule document that could not be read, with the JSON path of the bad field.
public struct ScheduleDocumentError: Error, Equatable, CustomStringConvertible {
    /// Dotted path to the field, e.g. `entries.2.time`; empty for the document itself.
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    init(_ error: DecodingError) {
        func render(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(path: render(context.codingPath + [key]), problem: "missing")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            self.init(path: render(context.codingPath), problem: "expected \(type)")
        case .dataCorrupted(let context):
            self.init(path: render(context.codingPath), problem: context.debugDescription)
        @unknown default:
            self.init(path: "", problem: "\(error)")
        }
    }

    public var description: String {
        path.isEmpty ? "schedule document: \(problem)" : "schedule document: field '\(path)': \(problem)"
    }
}
