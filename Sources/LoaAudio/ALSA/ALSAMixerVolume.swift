import CALSA
import Foundation

/// A hardware volume: one playback element ("Master", "PCM", "Speaker"…) of an ALSA mixer.
///
/// Percent maps linearly onto the element's raw playback range, as `amixer` does with
/// `N%`; setting writes every channel of the element. Thread-safe.
public final class ALSAMixerVolume: VolumeControl, @unchecked Sendable {
    /// The mixer device attached ("default", "hw:1", "pulse").
    public let card: String
    /// The simple element's name.
    public let element: String
    /// The element's raw playback range.
    public let range: ClosedRange<Int>

    private let lock = NSLock()
    private let mixer: ALSAMixerHandle

    /// Attaches `card`'s mixer and finds the playback element `element` (index `index`).
    /// Throws when the card has no mixer or the element has no playback volume.
    public init(card: String = "default", element: String = "Master", index: UInt32 = 0) throws(AudioError) {
        let mixer = try ALSAMixerHandle(card: card)  // closed by its deinit if we throw below
        let elem = try mixer.findPlaybackElement(element, index: index)
        var low = 0, high = 0
        snd_mixer_selem_get_playback_volume_range(elem, &low, &high)
        guard high > low else {
            throw .device("ALSA mixer '\(card)': element '\(element)' has an empty volume range \(low)…\(high)", code: -22)
        }
        self.card = card
        self.element = element
        self.range = low...high
        self.mixer = mixer
    }

    /// Attaches the mixer of the card behind a PCM name (see `cardName(forPCM:)`).
    public convenience init(pcm device: ALSADevice, element: String = "Master") throws(AudioError) {
        try self.init(card: Self.cardName(forPCM: device.name), element: element)
    }

    public var kind: VolumeControlKind { .hardware }

    public func volume() throws(AudioError) -> Int {
        lock.lock(); defer { lock.unlock() }
        let raw = try mixer.playbackVolume(element: element)
        return Self.percent(raw: raw, range: range)
    }

    public func setVolume(_ percent: Int) throws(AudioError) {
        lock.lock(); defer { lock.unlock() }
        try mixer.setPlaybackVolume(Self.raw(percent: percent, range: range), element: element)
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

/// Owns one `snd_mixer_t` and closes it in exactly one place, its deinit.
final class ALSAMixerHandle {
    let raw: OpaquePointer
    let card: String

    init(card: String) throws(AudioError) {
        prepareALSALibrary()
        var mixer: OpaquePointer?
        let opened = snd_mixer_open(&mixer, 0)
        guard opened >= 0, let mixer else { throw .device("ALSA mixer '\(card)': \(alsaErrorText(opened)) (open)", code: opened) }
        for (step, call) in [("attach", { snd_mixer_attach(mixer, card) }),
                             ("register", { snd_mixer_selem_register(mixer, nil, nil) }),
                             ("load", { snd_mixer_load(mixer) })] {
            let code = call()
            if code < 0 {
                snd_mixer_close(mixer)
                throw .device("ALSA mixer '\(card)': \(alsaErrorText(code)) (\(step))", code: code)
            }
        }
        self.raw = mixer
        self.card = card
    }

    deinit { snd_mixer_close(raw) }

    /// The simple element `name`/`index`, which must have a playback volume.
    func findPlaybackElement(_ name: String, index: UInt32 = 0) throws(AudioError) -> OpaquePointer {
        var id: OpaquePointer?
        guard snd_mixer_selem_id_malloc(&id) >= 0, let id else {
            throw .device("ALSA mixer '\(card)': out of memory (find '\(name)')", code: -12)
        }
        defer { snd_mixer_selem_id_free(id) }
        snd_mixer_selem_id_set_index(id, index)
        snd_mixer_selem_id_set_name(id, name)
        guard let elem = snd_mixer_find_selem(raw, id) else {
            throw .device("ALSA mixer '\(card)': no element '\(name)' (available: \(elementNames().joined(separator: ", ")))", code: -2)
        }
        guard snd_mixer_selem_has_playback_volume(elem) != 0 else {
            throw .device("ALSA mixer '\(card)': element '\(name)' has no playback volume", code: -22)
        }
        return elem
    }

    func playbackVolume(element: String) throws(AudioError) -> Int {
        snd_mixer_handle_events(raw)  // pick up changes made by others (amixer, pavucontrol)
        let elem = try findPlaybackElement(element)
        var value = 0
        let code = snd_mixer_selem_get_playback_volume(elem, SND_MIXER_SCHN_FRONT_LEFT, &value)
        guard code >= 0 else { throw .device("ALSA mixer '\(card)': \(alsaErrorText(code)) (get '\(element)')", code: code) }
        return value
    }

    func setPlaybackVolume(_ value: Int, element: String) throws(AudioError) {
        let elem = try findPlaybackElement(element)
        let code = snd_mixer_selem_set_playback_volume_all(elem, value)
        guard code >= 0 else { throw .device("ALSA mixer '\(card)': \(alsaErrorText(code)) (set '\(element)')", code: code) }
    }

    /// Names of the simple elements, for error messages.
    func elementNames() -> [String] {
        var names: [String] = []
        var elem = snd_mixer_first_elem(raw)
        while let current = elem {
            if let name = snd_mixer_selem_get_name(current) { names.append(String(cString: name)) }
            elem = snd_mixer_elem_next(current)
        }
        return names
    }
}
