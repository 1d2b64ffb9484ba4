/// A file moved out of `cache/` into `quarantine/` because it could not be trusted.
public struct QuarantinedContent: Hashable, Sendable {
    /// The name it had in `cache/`.
    public let name: String
    /// Where it lies now.
    public let path: String
    /// Why, in words a technician can act on; also written next to it as `<name>.reason`.
    public let reason: String
}

/// What the cache found when it opened: the gateway logs it and reports it in health.
public struct CacheStartupReport: Hashable, Sendable {
    /// Files in `cache/` whose SHA-256 matched their name.
    public var verified: Int = 0
    public var quarantined: [QuarantinedContent] = []
    /// Partial downloads kept for resuming, with their lengths.
    public var partials: [ContentAddress: UInt64] = [:]
    /// Stray files removed from `partial/` (bad names, temp files).
    public var removed: [String] = []
}
