/// One settable key of a daemon's configuration `Root`: its dotted TOML name, its type, and
/// where it lands in the struct. The TOML reader and the environment overrides both go through
/// the daemon's table of these, so they cannot disagree.
public struct ConfigurationKey<Root>: Sendable {
    public enum Kind: String, Sendable {
        case string = "a string", int = "an integer", double = "a number", bool = "true or false",
             strings = "an array of strings"
    }

    /// A value as read, before it is stored.
    public enum Value: Sendable {
        case string(String), int(Int), double(Double), bool(Bool), strings([String])
    }

    public let name: String
    public let kind: Kind
    let apply: @Sendable (inout Root, Value) -> Void

    public init(name: String, kind: Kind, apply: @escaping @Sendable (inout Root, Value) -> Void) {
        self.name = name
        self.kind = kind
        self.apply = apply
    }

    /// `SECTION_KEY`: the part of the environment variable after the daemon's prefix.
    var environmentSuffix: String { name.uppercased().replacing(".", with: "_") }

    public static func string(_ name: String, _ path: WritableKeyPath<Root, String> & Sendable) -> Self {
        Self(name: name, kind: .string) { c, v in if case .string(let s) = v { c[keyPath: path] = s } }
    }

    /// An optional value: an empty string unsets it.
    public static func optional(_ name: String, _ path: WritableKeyPath<Root, String?> & Sendable) -> Self {
        Self(name: name, kind: .string) { c, v in if case .string(let s) = v { c[keyPath: path] = s.isEmpty ? nil : s } }
    }

    public static func int(_ name: String, _ path: WritableKeyPath<Root, Int> & Sendable) -> Self {
        Self(name: name, kind: .int) { c, v in if case .int(let i) = v { c[keyPath: path] = i } }
    }

    public static func optionalInt(_ name: String, _ path: WritableKeyPath<Root, Int?> & Sendable) -> Self {
        Self(name: name, kind: .int) { c, v in if case .int(let i) = v { c[keyPath: path] = i } }
    }

    /// A number; an integer in the file is taken as one.
    public static func double(_ name: String, _ path: WritableKeyPath<Root, Double> & Sendable) -> Self {
        Self(name: name, kind: .double) { c, v in
            switch v {
            case .double(let d): c[keyPath: path] = d
            case .int(let i): c[keyPath: path] = Double(i)
            default: break
            }
        }
    }

    public static func bool(_ name: String, _ path: WritableKeyPath<Root, Bool> & Sendable) -> Self {
        Self(name: name, kind: .bool) { c, v in if case .bool(let b) = v { c[keyPath: path] = b } }
    }

    /// An array in the file; a comma-separated list in the environment.
    public static func strings(_ name: String, _ path: WritableKeyPath<Root, [String]> & Sendable) -> Self {
        Self(name: name, kind: .strings) { c, v in if case .strings(let s) = v { c[keyPath: path] = s } }
    }
}
