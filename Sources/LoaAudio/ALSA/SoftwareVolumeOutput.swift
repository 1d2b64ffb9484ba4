/// Wraps an output and applies a `SoftwareVolume` to everything written to it.
///
/// Used when the card has no mixer element to turn (see `ALSAOutputWithVolume`); the
/// wrapped output sees already-scaled samples, so `delay()` and draining are unaffected.
public final class SoftwareVolumeOutput: AudioOutput, @unchecked Sendable {
    /// The output that receives the scaled samples.
    public let base: any AudioOutput
    /// The volume applied on each write; set it at any time.
    public let volume: SoftwareVolume

    public init(wrapping base: any AudioOutput, volume: SoftwareVolume = SoftwareVolume()) {
        self.base = base
        self.volume = volume
    }

    public var openFormat: AudioFormat? { base.openFormat }
    public var deviceState: String { base.deviceState }
    public func open(format: AudioFormat) throws(AudioError) { try base.open(format: format) }
    public func write(int16 samples: [Int16]) throws(AudioError) { try base.write(int16: volume.apply(to: samples)) }
    public func drain() throws(AudioError) { try base.drain() }
    public func drain(leavingFrames: Int) { base.drain(leavingFrames: leavingFrames) }
    public func cancel() { base.cancel() }
    public func delay() -> Int { base.delay() }
    public func measuredDelay() -> Double { base.measuredDelay() }
    public var isPaced: Bool { base.isPaced }
    public func close() { base.close() }
}
