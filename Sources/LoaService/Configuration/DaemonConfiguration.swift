/// A daemon's configuration: defaults from `init()`, its keys in `schema`, its own `validate()`.
/// Loading, TOML parsing and environment overrides are written once, here, for both daemons.
public protocol DaemonConfiguration: Sendable {
    init()
    static var schema: ConfigurationSchema<Self> { get }
    /// Checks values together (ranges, files that must exist, keys that exclude each other).
    func validate() throws(ConfigurationError)
}

extension DaemonConfiguration {
    /// Reads `path` (when given), applies the daemon's environment overrides (and the old names)
    /// from `environment`, and validates the result. The one entry point for start, reload and
    /// `--check-config`.
    public static func load(path: String?, environment: [String: String]) throws(ConfigurationError) -> Self {
        var configuration = try path.map { path throws(ConfigurationError) in
            try parse(toml: try ConfigurationSchema<Self>.read(path: path), source: path)
        } ?? Self()
        try configuration.applyEnvironment(environment)
        try configuration.validate()
        return configuration
    }

    /// Decodes TOML text over the defaults. Unknown sections and keys are errors.
    public static func parse(toml text: String, source: String = "configuration") throws(ConfigurationError) -> Self {
        try schema.parse(toml: text, source: source, over: Self())
    }

    /// Applies the daemon's `<prefix><SECTION>_<KEY>` variables (an unknown one is an error)
    /// and the old names.
    public mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigurationError) {
        try Self.schema.apply(environment: environment, to: &self)
    }

    /// The old-style variables in `environment` that are applied, each with its new name.
    public static func deprecatedVariables(in environment: [String: String]) -> [(old: String, new: String)] {
        schema.deprecatedVariables(in: environment)
    }
}
