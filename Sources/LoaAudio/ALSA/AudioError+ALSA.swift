import CALSA

/// EBADFD on Linux: ALSA's own code for "the PCM is not in a usable state".
let alsaNotOpenCode: Int32 = -77

extension AudioError {
    /// "ALSA device 'default': No such file or directory (open)".
    static func alsa(_ device: String, _ code: Int32, _ operation: String) -> AudioError {
        .device("ALSA device '\(device)': \(alsaErrorText(code)) (\(operation))", code: code)
    }

    /// A call on an output or input that is not open.
    static func notOpen(_ subject: String, _ operation: String) -> AudioError {
        .device("\(subject): not open (\(operation)); call open(format:) first", code: alsaNotOpenCode)
    }
}

/// ALSA's text for a negative error code.
func alsaErrorText(_ code: Int32) -> String {
    String(cString: snd_strerror(code))
}

/// Installs the quiet ALSA error handler exactly once, before the first ALSA call, so
/// "ALSA lib …" lines never reach a gateway's stderr; errors still arrive as return codes.
let alsaLibraryPrepared: Void = { loa_alsa_silence_errors() }()

/// Call before any ALSA function; cheap after the first time.
func prepareALSALibrary() { _ = alsaLibraryPrepared }
