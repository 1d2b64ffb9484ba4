import Foundation
import LoaService
import TOMLKit

extension GatewayConfiguration {
    /// Reads `path` (when given), applies `LOA_*` overrides from `environment`, and validates
    /// the result. The one entry point the daemon, SIGHUP and `--check-config` use.
    public static func load(path: String?, environment: [String: String]) throws(GatewayConfigurationError) -> GatewayConfiguration {
        var configuration = GatewayConfiguration()
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
    public static func parse(toml text: String, source: String = "configuration") throws(GatewayConfigurationError) -> GatewayConfiguration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(source: source, line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw .syntax(source: source, line: 0, column: 0, message: "\(error)")
        }
        let lines = KeyLines(text: text)
        var configuration = GatewayConfiguration()
        for section in table.keys.sorted() {
            let known = GatewayConfigurationKey.all.contains { $0.name.hasPrefix(section + ".") }
            guard known, let sub = table[section]?.table else {
                throw .unknownKey(section, source: source, line: lines.line(section: nil, key: section))
            }
            for name in sub.keys.sorted() {
                let dotted = "\(section).\(name)"
                let line = lines.line(section: section, key: name)
                guard let key = GatewayConfigurationKey.named(dotted) else { throw .unknownKey(dotted, source: source, line: line) }
                guard let raw = sub[name] else { continue }
                key.apply(&configuration, try value(raw, for: key, source: source, line: line))
            }
        }
        return configuration
    }

    /// Applies `LOA_GW_<SECTION>_<KEY>` variables; an unknown `LOA_GW_*` one is an error. The old
    /// names — `LOA_<SECTION>_<KEY>` and `LOA_CONTROLLER` (a comma-separated host list) — are
    /// still applied, the new name winning when both are set; other variables are ignored (the
    /// controller's `LOA_CTL_*` and loactl's may share the environment).
    public mutating func applyEnvironment(_ environment: [String: String]) throws(GatewayConfigurationError) {
        for (variable, key, text) in Self.legacyVariables(in: environment) {
            key.apply(&self, try Self.value(text, for: key, variable: variable))
        }
        let keys = Dictionary(uniqueKeysWithValues: GatewayConfigurationKey.all.map { ($0.environmentVariable, $0) })
        for (variable, text) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(GatewayConfigurationKey.environmentPrefix) {
            guard let key = keys[variable] else { throw .unknownKey(variable, source: "environment", line: nil) }
            key.apply(&self, try Self.value(text, for: key, variable: variable))
        }
    }

    /// The old-style variables in `environment` that are applied, each with its new name, for
    /// the daemon to warn about.
    public static func deprecatedVariables(in environment: [String: String]) -> [(old: String, new: String)] {
        legacyVariables(in: environment).map { ($0.variable, $0.key.environmentVariable) }
    }

    private static func legacyVariables(in environment: [String: String]) -> [(variable: String, key: GatewayConfigurationKey, text: String)] {
        var keys = Dictionary(uniqueKeysWithValues: GatewayConfigurationKey.all.map { ($0.legacyEnvironmentVariable, $0) })
        for (variable, name) in GatewayConfigurationKey.legacyAliases { keys[variable] = GatewayConfigurationKey.named(name) }
        return environment.sorted(by: { $0.key < $1.key }).compactMap { variable, text in
            guard let key = keys[variable], environment[key.environmentVariable] == nil else { return nil }
            if GatewayConfigurationKey.legacyAliases[variable] != nil, text.contains("://") { return nil }
            return (variable, key, text)
        }
    }

    private static func value(_ raw: any TOMLValueConvertible, for key: GatewayConfigurationKey, source: String,
                              line: Int?) throws(GatewayConfigurationError) -> GatewayConfigurationKey.Value {
        switch key.kind {
        case .string: if let s = raw.string { return .string(s) }
        case .int: if let i = raw.int { return .int(i) }
        case .bool: if let b = raw.bool { return .bool(b) }
        case .strings:
            if let array = raw.array {
                let strings = array.compactMap { $0.string }
                if strings.count == array.count { return .strings(strings) }
                throw .wrongType(key: key.name, expected: key.kind.rawValue, found: "an array holding non-strings", source: source, line: line)
            }
        }
        throw .wrongType(key: key.name, expected: key.kind.rawValue, found: "\(raw.type)", source: source, line: line)
    }

    private static func value(_ text: String, for key: GatewayConfigurationKey, variable: String) throws(GatewayConfigurationError) -> GatewayConfigurationKey.Value {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch key.kind {
        case .string: return .string(text)
        case .int: if let i = Int(trimmed) { return .int(i) }
        case .strings:
            return .strings(trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .bool:
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: break
            }
        }
        throw .wrongType(key: variable, expected: key.kind.rawValue, found: "\"\(text)\"", source: "environment", line: nil)
    }
}
