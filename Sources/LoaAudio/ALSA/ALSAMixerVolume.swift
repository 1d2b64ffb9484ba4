import CALSA
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// A hardware volume: one playback element ("Master", "PCM", "Speaker"…) of an ALSA mixer.
///
/// Percent maps linearly onto the element's raw playback range, as `amixer` does with
/// `N%`; setting writes every channel of the element. Thread-safe.
public final class ALSAMixerVolume: VolumeControl, @unchecked Sendable {
    /// The mixer device attached ("default", "hw:1", "pulse").
    public let card: String
    /// The simple element's name and index.
    public let element: String
    public let index: UInt32
    /// The element's raw playback range.
    public let range: ClosedRange<Int>

    private let lock = NIOLock()
    private let mixer: ALSAMixerHandle

    /// Attaches the control device `control` ("default", "hw:1", or a `ctl.NAME` defined in
    /// its in-memory configuration text) and finds the playback element `element` (index
    /// `index`). Throws when there is no such mixer or the element has no playback volume.
    public init(control: ALSADevice, element: String = "Master", index: UInt32 = 0) throws(AudioError) {
        let mixer = try ALSAMixerHandle(control: control)  // closed by its deinit if we throw below
        let elem = try mixer.findPlaybackElement(element, index: index)
        var low = 0, high = 0
        snd_mixer_selem_get_playback_volume_range(elem, &low, &high)
        guard high > low else {
            throw .device("ALSA mixer '\(control.name)': element '\(element)' has an empty volume range \(low)…\(high)", code: -22)
        }
        self.card = control.name
        self.element = element
        self.index = index
        self.range = low...high
        self.mixer = mixer
    }

    /// Attaches `card`'s mixer from the system configuration.
    public convenience init(card: String = "default", element: String = "Master") throws(AudioError) {
        try self.init(control: .named(card), element: element)
    }

    /// The mixer that goes with a PCM: for an in-memory configuration the `ctl.NAME` of the
    /// same name, otherwise the card behind the PCM name (see `cardName(forPCM:)`).
    public convenience init(pcm device: ALSADevice, element: String = "Master") throws(AudioError) {
        if device.configText != nil {
            try self.init(control: device, element: element)
        } else {
            try self.init(control: .named(Self.cardName(forPCM: device.name)), element: element)
        }
    }

    public var kind: VolumeControlKind { .hardware }

    public func volume() throws(AudioError) -> Int {
        lock.lock(); defer { lock.unlock() }
        let raw = try mixer.playbackVolume(element: element, index: index)
        return Self.percent(raw: raw, range: range)
    }

    public func setVolume(_ percent: Int) throws(AudioError) {
        lock.lock(); defer { lock.unlock() }
        try mixer.setPlaybackVolume(Self.raw(percent: percent, range: range), element: element, index: index)
    }

    /// Raw value → percent, rounded to the nearest whole percent.
    public static func percent(raw: Int, range: ClosedRange<Int>) -> Int {
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return 0 }
        let clamped = min(max(raw, range.lowerBound), range.upperBound)
        return Int((Double(clamped - range.lowerBound) * 100 / Double(span)).rounded())
    }

    /// Percent (clamped to 0…100) → raw value, rounded to the nearest step.
    public static func raw(percent: Int, range: ClosedRange<Int>) -> Int {
        let p = min(100, max(0, percent))
        let span = range.upperBound - range.lowerBound
        return range.lowerBound + Int((Double(span) * Double(p) / 100).rounded())
    }

    /// The mixer device for a PCM name: "hw:1,0", "plughw:1", "sysdefault:CARD=x" and
    /// "dmix:1" name card 1 / x → "hw:1" / "hw:x"; anything else ("default", "pulse", a
    /// `type file` PCM) → "default".
    public static func cardName(forPCM name: String) -> String {
        guard let colon = name.firstIndex(of: ":") else { return "default" }
        let plugin = name[..<colon]
        let known: Set<Substring> = ["hw", "plughw", "sysdefault", "dmix", "dsnoop", "front", "surround40",
                                     "surround51", "iec958", "hdmi"]
        guard known.contains(plugin) else { return "default" }
        let arguments = name[name.index(after: colon)...].split(separator: ",")
        guard let first = arguments.first else { return "default" }
        let card = first.hasPrefix("CARD=") ? first.dropFirst("CARD=".count) : first
        return card.isEmpty ? "default" : "hw:\(card)"
    }
}
