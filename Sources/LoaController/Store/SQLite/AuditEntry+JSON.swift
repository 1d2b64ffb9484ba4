import Foundation

extension AuditEntry {
    static func encodeDetails(_ details: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeDetails(_ json: String) -> [String: String] {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8))
        return (object as? [String: Any])?.mapValues { "\($0)" } ?? [:]
    }
}
