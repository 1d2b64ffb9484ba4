/// An ALSA output paired with the volume control that fits its card: the mixer element
/// when the card has one, otherwise a software gain wrapped around the output.
///
/// What the gateway builds from its config (`device`, `mixer element`); `fallbackReason`
/// says why software volume was chosen, for the log and the health report.
public struct ALSAOutputWithVolume: Sendable {
    /// Write here: the ALSA output itself, or a `SoftwareVolumeOutput` around it.
    public let output: any AudioOutput
    /// Read and set the volume here.
    public let volume: any VolumeControl
    /// The ALSA output underneath (for underrun counts and geometry).
    public let playback: ALSAPlayback
    /// Why the hardware mixer was not used, or nil when it is.
    public let fallbackReason: String?

    /// Tries `mixerElement` on the PCM's mixer (its card, or for an in-memory configuration
    /// the `ctl` of the same name); falls back to software volume if that fails or
    /// `mixerElement` is nil.
    public static func make(
        device: ALSADevice, mixerElement: String? = "Master", latency: Duration = .milliseconds(200)
    ) -> ALSAOutputWithVolume {
        let playback = ALSAPlayback(device: device, latency: latency)
        guard let mixerElement else {
            return software(playback, reason: "no mixer element configured")
        }
        do {
            let mixer = try ALSAMixerVolume(pcm: device, element: mixerElement)
            return ALSAOutputWithVolume(output: playback, volume: mixer, playback: playback, fallbackReason: nil)
        } catch {
            return software(playback, reason: error.description)
        }
    }

    private static func software(_ playback: ALSAPlayback, reason: String) -> ALSAOutputWithVolume {
        let wrapped = SoftwareVolumeOutput(wrapping: playback)
        return ALSAOutputWithVolume(output: wrapped, volume: wrapped.volume, playback: playback, fallbackReason: reason)
    }
}
