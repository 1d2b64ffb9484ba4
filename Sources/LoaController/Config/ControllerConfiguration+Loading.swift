import Foundation
import LoaService
import TOMLKit

extension ControllerConfiguration {
    /// Reads `path` (when given), applies `LOA_CTL_*` overrides (and the old `LOA_CONTROLLER_*` names) from `environment`, and
    /// validates the result. The one entry point the daemon and `--check-config` use.
    public static func load(path: String?, environment: [String: String]) throws(ConfigurationError) -> ControllerConfiguration {
        var configuration = ControllerConfiguration()
        if let path {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
            }
            configuration = try parse(toml: text, source: path)
        }
        try configuration.applyEnvironment(environment)
        try configuration.validate()
        return configuration
    }

    /// Decodes TOML text over the defaults. Unknown sections and keys are errors.
    public static func parse(toml text: String, source: String = "configuration") throws(ConfigurationError) -> ControllerConfiguration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(path: source, line: error.source.begin.line, column: error.source.begin.column,
                          message: error.description)
        } catch {
            throw .syntax(path: source, line: 0, column: 0, message: "\(error)")
        }
        let lines = KeyLines(text: text)
        var configuration = ControllerConfiguration()
        for section in table.keys.sorted() {
            guard let sub = table[section]?.table else {
                throw .unknownKey(section, source: source, line: lines.line(section: nil, key: section))
            }
            for name in sub.keys.sorted() {
                let dotted = "\(section).\(name)"
                let line = lines.line(section: section, key: name)
                guard let key = ConfigurationKey.named(dotted) else { throw .unknownKey(dotted, source: source, line: line) }
                guard let raw = sub[name] else { continue }
                key.apply(&configuration, try value(raw, for: key, source: source, line: line))
            }
        }
        return configuration
    }

    /// Applies `LOA_CTL_<SECTION>_<KEY>` variables; an unknown one is an error, so a misspelt
    /// override does not go unnoticed. The old `LOA_CONTROLLER_<SECTION>_<KEY>` names are
    /// still applied (the new name wins when both are set) but not checked: the gateway's own
    /// old names (`LOA_CONTROLLER_HOSTS` …) share that prefix and the environment.
    public mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigurationError) {
        let legacy = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map { ($0.legacyEnvironmentVariable, $0) })
        for (variable, text) in environment.sorted(by: { $0.key < $1.key }) {
            guard let key = legacy[variable], environment[key.environmentVariable] == nil else { continue }
            key.apply(&self, try Self.value(text, for: key, variable: variable))
        }
        let keys = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map { ($0.environmentVariable, $0) })
        for (variable, text) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(ConfigurationKey.environmentPrefix) {
            guard let key = keys[variable] else { throw .unknownKey(variable, source: "environment") }
            key.apply(&self, try Self.value(text, for: key, variable: variable))
        }
    }

    /// The old-style variables in `environment` that were applied, each with its new name, for
    /// the daemon to warn about.
    public static func deprecatedVariables(in environment: [String: String]) -> [(old: String, new: String)] {
        ConfigurationKey.all.filter { environment[$0.legacyEnvironmentVariable] != nil }
            .map { ($0.legacyEnvironmentVariable, $0.environmentVariable) }
            .sorted { $0.old < $1.old }
    }

    private static func value(_ raw: any TOMLValueConvertible, for key: ConfigurationKey, source: String,
                              line: Int?) throws(ConfigurationError) -> ConfigurationKey.Value {
        switch key.kind {
        case .string: if let s = raw.string { return .string(s) }
        case .int: if let i = raw.int { return .int(i) }
        case .double:
            if let d = raw.double { return .double(d) }
            if let i = raw.int { return .int(i) }
        case .bool: if let b = raw.bool { return .bool(b) }
        }
        throw .wrongType(key: key.name, expected: key.kind.rawValue, found: "\(raw.type)", source: source, line: line)
    }

    private static func value(_ text: String, for key: ConfigurationKey, variable: String) throws(ConfigurationError) -> ConfigurationKey.Value {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch key.kind {
        case .string: return .string(text)
        case .int: if let i = Int(trimmed) { return .int(i) }
        case .double: if let d = Double(trimmed), d.isFinite { return .double(d) }
        case .bool:
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: break
            }
        }
        throw .wrongType(key: key.name, expected: key.kind.rawValue, found: "'\(text)'", source: "environment variable \(variable)")
    }
}
