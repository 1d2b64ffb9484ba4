#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A daemon's configuration keys and how its environment names them, with the one loader both
/// daemons use: TOML over the defaults, then `<prefix><SECTION>_<KEY>` variables, errors naming
/// file, line and key. Validation stays with each daemon's configuration type.
public struct ConfigurationSchema<Root>: Sendable {
    /// Every key, in the order of the reference document.
    public let keys: [ConfigurationKey<Root>]
    /// `LOA_GW_` or `LOA_CTL_`: the daemon's variables, checked strictly (an unknown one is an
    /// error), so the two daemons and loactl can share one environment.
    public let environmentPrefix: String
    /// The names before the prefixes above (`LOA_` for the gateway, `LOA_CONTROLLER_` for the
    /// controller), still applied for one release and reported by `deprecatedVariables`.
    public let legacyPrefix: String
    /// Old short names (variable → dotted key). A value holding "://" is not taken: it is
    /// loactl's controller URL (`LOA_CONTROLLER`).
    public let legacyAliases: [String: String]
    /// The document listing the keys, named in unknown-key errors.
    public let reference: String

    public init(keys: [ConfigurationKey<Root>], environmentPrefix: String, legacyPrefix: String,
                legacyAliases: [String: String] = [:], reference: String) {
        self.keys = keys
        self.environmentPrefix = environmentPrefix
        self.legacyPrefix = legacyPrefix
        self.legacyAliases = legacyAliases
        self.reference = reference
    }

    public func key(named name: String) -> ConfigurationKey<Root>? { keys.first { $0.name == name } }

    /// `LOA_GW_AUDIO_PCM` for `audio.pcm`.
    public func environmentVariable(of key: ConfigurationKey<Root>) -> String { environmentPrefix + key.environmentSuffix }

    /// The text of `path`, for `parse`.
    public static func read(path: String) throws(ConfigurationError) -> String {
        switch PosixFile.read(path: path) {
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .unreadable(path: path, reason: "not UTF-8 text")
            }
            return text
        case .failure(let failure):
            throw .unreadable(path: path, reason: failure.description)
        }
    }

    /// Decodes TOML text over `defaults`. Unknown sections and keys are errors.
    public func parse(toml text: String, source: String, over defaults: Root) throws(ConfigurationError) -> Root {
        let table: TOMLTable
        do {
            table = try TOMLReader.parse(text)
        } catch {
            throw .syntax(source: source, line: error.line, column: error.column, message: error.message)
        }
        var configuration = defaults
        for section in table.keys.sorted() {
            let known = keys.contains { $0.name.hasPrefix(section + ".") }
            guard known, let entry = table[section], case .table(let sub) = entry.value else {
                throw .unknownKey(section, source: source, line: table[section]?.line, reference: reference)
            }
            for name in sub.keys.sorted() {
                let dotted = "\(section).\(name)"
                guard let key = key(named: dotted), let entry = sub[name] else {
                    throw .unknownKey(dotted, source: source, line: sub[name]?.line, reference: reference)
                }
                key.apply(&configuration, try Self.value(entry.value, for: key, source: source, line: entry.line))
            }
        }
        return configuration
    }

    /// Applies the old names first, then the daemon's own variables (which win); an unknown
    /// variable with the daemon's prefix is an error. Other variables are left alone.
    public func apply(environment: [String: String], to configuration: inout Root) throws(ConfigurationError) {
        for (variable, key, text) in legacyVariables(in: environment) {
            key.apply(&configuration, try Self.value(text, for: key, variable: variable))
        }
        let byVariable = Dictionary(uniqueKeysWithValues: keys.map { (environmentVariable(of: $0), $0) })
        for (variable, text) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(environmentPrefix) {
            guard let key = byVariable[variable] else {
                throw .unknownKey(variable, source: "environment", reference: reference)
            }
            key.apply(&configuration, try Self.value(text, for: key, variable: variable))
        }
    }

    /// The old-style variables in `environment` that are applied, each with its new name, for
    /// the daemon to warn about.
    /// Also those a new name overrides: the old one should go all the same.
    public func deprecatedVariables(in environment: [String: String]) -> [(old: String, new: String)] {
        legacyVariables(in: environment, includingOverridden: true).map { ($0.variable, environmentVariable(of: $0.key)) }
    }

    private func legacyVariables(in environment: [String: String], includingOverridden: Bool = false)
        -> [(variable: String, key: ConfigurationKey<Root>, text: String)] {
        var byVariable = Dictionary(uniqueKeysWithValues: keys.map { (legacyPrefix + $0.environmentSuffix, $0) })
        for (variable, name) in legacyAliases { byVariable[variable] = key(named: name) }
        return environment.sorted(by: { $0.key < $1.key }).compactMap { variable, text in
            guard let key = byVariable[variable] else { return nil }
            if !includingOverridden, environment[environmentVariable(of: key)] != nil { return nil }
            if legacyAliases[variable] != nil, text.contains("://") { return nil }
            return (variable, key, text)
        }
    }

    private static func value(_ raw: TOMLValue, for key: ConfigurationKey<Root>, source: String,
                              line: Int?) throws(ConfigurationError) -> ConfigurationKey<Root>.Value {
        switch (key.kind, raw) {
        case (.string, .string(let s)): return .string(s)
        case (.int, .integer(let i)): return .int(i)
        case (.double, .float(let d)): return .double(d)
        case (.double, .integer(let i)): return .int(i)
        case (.bool, .boolean(let b)): return .bool(b)
        case (.strings, .array(let array)):
            let strings = array.compactMap { if case .string(let s) = $0 { s } else { nil } }
            if strings.count == array.count { return .strings(strings) }
            throw .wrongType(key: key.name, expected: key.kind.rawValue, found: "an array holding non-strings",
                             source: source, line: line)
        default:
            throw .wrongType(key: key.name, expected: key.kind.rawValue, found: raw.typeName, source: source, line: line)
        }
    }

    /// Environment text: integers and numbers trimmed, booleans as true/false, 1/0, yes/no or
    /// on/off, lists comma-separated.
    private static func value(_ text: String, for key: ConfigurationKey<Root>,
                              variable: String) throws(ConfigurationError) -> ConfigurationKey<Root>.Value {
        let trimmed = text.trimmingWhitespace
        switch key.kind {
        case .string: return .string(text)
        case .int: if let i = Int(trimmed) { return .int(i) }
        case .double: if let d = Double(trimmed), d.isFinite { return .double(d) }
        case .strings:
            return .strings(trimmed.split(separator: ",").map { $0.trimmingWhitespace }.filter { !$0.isEmpty })
        case .bool:
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: break
            }
        }
        throw .wrongType(key: variable, expected: key.kind.rawValue, found: "\"\(text)\"", source: "environment")
    }
}
