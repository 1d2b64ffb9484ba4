import CALSA

/// Owns an ALSA configuration tree parsed from text and deletes it in exactly one place,
/// its deinit.
///
/// A PCM or control opened from the tree (`snd_pcm_open_lconf`, `snd_ctl_open_lconf`) must
/// keep it alive until it is closed: the pulse plugin, for one, reads it after opening,
/// and stalls (the buffer never drains) if the tree is freed right after the open.
final class ALSAConfigTree {
    let raw: OpaquePointer

    /// Parses `text`; `subject` ("ALSA device 'x'") names what it is for in errors.
    init(text: String, subject: String) throws(AudioError) {
        prepareALSALibrary()
        var top: OpaquePointer?
        let created = snd_config_top(&top)
        guard created >= 0, let top else { throw .device("\(subject): \(alsaErrorText(created)) (config)", code: created) }
        raw = top  // from here on, deinit frees the tree whatever happens
        var input: OpaquePointer?
        let bytes = Array(text.utf8)
        let opened = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { snd_input_buffer_open(&input, $0.baseAddress, buffer.count) }
        }
        guard opened >= 0, let input else { throw .device("\(subject): \(alsaErrorText(opened)) (config)", code: opened) }
        let loaded = snd_config_load(top, input)
        snd_input_close(input)
        guard loaded >= 0 else {
            throw .device("\(subject): configuration text does not parse: \(alsaErrorText(loaded)) (config)", code: loaded)
        }
    }

    deinit { snd_config_delete(raw) }
}
