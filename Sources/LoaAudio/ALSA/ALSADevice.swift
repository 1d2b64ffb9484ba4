/// Names an ALSA PCM: either from the system configuration ("default", "plughw:1,0",
/// "pulse", "file:FILE=/tmp/out.raw,FORMAT=raw") or from an ALSA configuration text held in
/// memory, so a test or a gateway config can define a PCM without touching global files.
///
/// An in-memory configuration replaces the system one entirely: plugins that refer to
/// PCMs defined elsewhere ("null", "hw") fail, so slaves must be written inline, e.g.
/// `pcm.loatest { type file slave { pcm { type null } } file "/tmp/out.raw" format "raw" }`.
public struct ALSADevice: Sendable, Hashable, CustomStringConvertible {
    /// The PCM name to open.
    public var name: String
    /// ALSA configuration text defining `name`, or nil to use the system configuration.
    public var configText: String?

    public init(name: String, configText: String? = nil) {
        self.name = name
        self.configText = configText
    }

    /// A PCM from the system configuration (alsa.conf, ~/.asoundrc, ALSA_CONFIG_PATH).
    public static func named(_ name: String) -> ALSADevice { ALSADevice(name: name) }

    /// The system default PCM.
    public static let systemDefault = ALSADevice(name: "default")

    /// ALSA's built-in file PCM: what is played is written as raw S16_LE to `path`.
    /// Needs no configuration; the path must not contain ',' or '='.
    public static func builtInFile(path: String) -> ALSADevice {
        ALSADevice(name: "file:FILE=\(path),FORMAT=raw")
    }

    /// A `type file` PCM named `name`, defined in memory: playback is written to `path`
    /// (raw S16_LE, or a WAV header first with `wav: true`); capture reads raw samples from
    /// `inputPath` (zeros after its end). Neither is paced: it runs as fast as it is fed.
    public static func filePCM(
        name: String = "loafile", path: String, inputPath: String? = nil, wav: Bool = false
    ) -> ALSADevice {
        var body = "type file slave { pcm { type null } } file \(quoted(path))"
        if let inputPath { body += " infile \(quoted(inputPath))" }
        body += " format \"\(wav ? "wav" : "raw")\" perm 0644"
        return ALSADevice(name: name, configText: "pcm.\(name) { \(body) }\n")
    }

    /// A PulseAudio PCM and mixer control named `name` on the server at `server`
    /// ("unix:/run/loa/pulse/native"), defined in memory (needs libasound2-plugins). Paced in
    /// real time with a "Master" volume; `handleUnderrun` makes starvation an ALSA underrun.
    public static func pulse(name: String = "loapulse", server: String, handleUnderrun: Bool = true) -> ALSADevice {
        let body = "type pulse server \(quoted(server))"
        let text = "pcm.\(name) { \(body) handle_underrun \(handleUnderrun ? "true" : "false") }\nctl.\(name) { \(body) }\n"
        return ALSADevice(name: name, configText: text)
    }

    public var description: String { configText == nil ? name : "\(name) (in-memory config)" }

    /// An ALSA configuration string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }
}
