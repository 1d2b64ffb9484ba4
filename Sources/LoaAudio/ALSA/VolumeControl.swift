/// Whether a volume is applied by the sound card's mixer or by scaling samples.
public enum VolumeControlKind: String, Sendable, Hashable {
    /// An ALSA mixer element (e.g. "Master", "PCM") on the card.
    case hardware
    /// A gain applied to the samples before they are written.
    case software
}

/// A volume a technician can read and set, in percent (0…100).
public protocol VolumeControl: AnyObject, Sendable {
    /// Hardware (card mixer) or software (sample gain).
    var kind: VolumeControlKind { get }

    /// The current volume, 0…100.
    func volume() throws(AudioError) -> Int

    /// Sets the volume; values outside 0…100 are clamped.
    func setVolume(_ percent: Int) throws(AudioError)
}
