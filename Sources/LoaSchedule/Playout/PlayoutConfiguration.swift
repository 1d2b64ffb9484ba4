/// Timing knobs of the playout state machine, with the defaults a commune installation uses.
public struct PlayoutConfiguration: Hashable, Sendable, Codable {
    /// Amplifier on this long before sound, so the first words are not lost while it powers up.
    public var amplifierPreRollMs: Int64
    /// Amplifier off after this long with nothing to play (not between back-to-back items).
    public var amplifierIdleOffMs: Int64
    /// After a live source drops, wait this long before falling back, so a short 4G gap does
    /// not flap the loudspeakers.
    public var liveFallbackGraceMs: Int64

    public init(amplifierPreRollMs: Int64 = 2_000, amplifierIdleOffMs: Int64 = 30_000, liveFallbackGraceMs: Int64 = 5_000) {
        self.amplifierPreRollMs = amplifierPreRollMs
        self.amplifierIdleOffMs = amplifierIdleOffMs
        self.liveFallbackGraceMs = liveFallbackGraceMs
    }
}
