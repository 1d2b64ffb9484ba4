import CALSA

/// Owns one `snd_mixer_t` and closes it in exactly one place, its deinit.
final class ALSAMixerHandle {
    let raw: OpaquePointer
    let card: String
    /// The in-memory configuration the control was opened from; freed after the mixer closes.
    private var config: ALSAConfigTree?

    /// Opens, attaches and loads the mixer. The handle is stored before anything can fail,
    /// so a failure runs deinit and the mixer is closed there and only there.
    init(control: ALSADevice) throws(AudioError) {
        prepareALSALibrary()
        card = control.name
        var mixer: OpaquePointer?
        let opened = snd_mixer_open(&mixer, 0)
        guard opened >= 0, let mixer else { throw .device("ALSA mixer '\(card)': \(alsaErrorText(opened)) (open)", code: opened) }
        raw = mixer
        let name = card
        if let text = control.configText { config = try ALSAConfigTree(text: text, subject: "ALSA mixer '\(card)'") }
        let steps: [(String, () -> Int32)] = [
            ("attach", { self.config.map { Self.attach(mixer, name, config: $0) } ?? snd_mixer_attach(mixer, name) }),
            ("register", { snd_mixer_selem_register(mixer, nil, nil) }),
            ("load", { snd_mixer_load(mixer) }),
        ]
        for (step, call) in steps {
            let code = call()
            guard code >= 0 else { throw .device("ALSA mixer '\(card)': \(alsaErrorText(code)) (\(step))", code: code) }
        }
    }

    /// Opens `ctl.NAME` from an in-memory configuration and attaches it; on success the mixer
    /// owns the control (snd_mixer_close closes it).
    private static func attach(_ mixer: OpaquePointer, _ name: String, config: ALSAConfigTree) -> Int32 {
        var ctl: OpaquePointer?
        var code = snd_ctl_open_lconf(&ctl, name, 0, config.raw)
        guard code >= 0, let ctl else { return code }
        var hctl: OpaquePointer?
        code = snd_hctl_open_ctl(&hctl, ctl)  // owns ctl once it succeeds
        guard code >= 0, let hctl else { snd_ctl_close(ctl); return code }
        // Owns hctl from here; it closes hctl itself on failure, as snd_mixer_attach relies on.
        return snd_mixer_attach_hctl(mixer, hctl)
    }

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

    func playbackVolume(element: String, index: UInt32) throws(AudioError) -> Int {
        snd_mixer_handle_events(raw)  // pick up changes made by others (amixer, pavucontrol)
        let elem = try findPlaybackElement(element, index: index)
        var value = 0
        let code = snd_mixer_selem_get_playback_volume(elem, SND_MIXER_SCHN_FRONT_LEFT, &value)
        guard code >= 0 else { throw .device("ALSA mixer '\(card)': \(alsaErrorText(code)) (get '\(element)')", code: code) }
        return value
    }

    func setPlaybackVolume(_ value: Int, element: String, index: UInt32) throws(AudioError) {
        let elem = try findPlaybackElement(element, index: index)
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
