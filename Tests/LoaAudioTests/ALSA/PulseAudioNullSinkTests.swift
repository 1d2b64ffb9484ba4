import Foundation
import Testing
@testable import LoaAudio

/// A private PulseAudio server with a null sink, on its own socket so no other process's
/// `default` or `pulse` PCM sees it. Needs the `pulseaudio` and `libasound2-plugins` packages.
///
/// Started in the background by a shell, not as a Foundation `Process`: on Linux, Foundation
/// blocks in wait4() on a long-running child, and then never notices that any other child
/// (amixer here) has exited.
final class PulseAudioNullSink: @unchecked Sendable {
    static var isAvailable: Bool {
        let plugins = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib/arm-linux-gnueabihf", "/usr/lib64", "/usr/lib"]
            .map { "\($0)/alsa-lib/libasound_module_pcm_pulse.so" }
        let hasPlugin = plugins.contains { FileManager.default.fileExists(atPath: $0) }
        let hasServer = (try? Tool.run("sh", ["-c", "command -v pulseaudio"]).status) == 0
        return hasPlugin && hasServer
    }

    let directory: TemporaryDirectory
    private let pid: Int32
    var server: String { "unix:\(directory.path("native"))" }
    var device: ALSADevice { .pulse(server: server) }

    init() throws {
        directory = try TemporaryDirectory("loa-pulse")
        let dir = directory.url.path
        let script = """
            HOME='\(dir)' PULSE_RUNTIME_PATH='\(dir)/run' PULSE_STATE_PATH='\(dir)/state' \
            pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --disable-shm=yes \
              --log-target=stderr -L 'module-null-sink sink_name=loanull' \
              -L 'module-native-protocol-unix socket=\(dir)/native auth-anonymous=1' \
              </dev/null >'\(dir)/pulse.log' 2>&1 &
            echo $!
            """
        let started = try Tool.check("sh", ["-c", script])
        guard let pid = Int32(started.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            directory.cleanup()
            throw ToolFailure(description: "could not start pulseaudio: \(started.stdoutText) \(started.stderr)")
        }
        self.pid = pid
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: directory.path("native")) {
            guard Date() < deadline, kill(pid, 0) == 0 else {
                let log = (try? String(contentsOfFile: directory.path("pulse.log"), encoding: .utf8)) ?? ""
                stop()
                throw ToolFailure(description: "pulseaudio did not start: \(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func stop() {
        kill(pid, SIGTERM)
        directory.cleanup()
    }
}

/// The hardware-mixer path and real-time pacing, against PulseAudio's null sink.
@Suite("ALSA through PulseAudio's null sink", .serialized,
       .enabled(if: PulseAudioNullSink.isAvailable, "needs apt packages pulseaudio and libasound2-plugins"))
struct PulseAudioNullSinkTests {
    @Test("the pulse ctl's Master element is used as a hardware volume")
    func hardwareMixer() throws {
        let pulse = try PulseAudioNullSink()
        defer { pulse.stop() }
        let chain = ALSAOutputWithVolume.make(device: pulse.device, mixerElement: "Master")
        #expect(chain.fallbackReason == nil)
        #expect(chain.volume.kind == .hardware)
        try chain.volume.setVolume(40)
        #expect(try chain.volume.volume() == 40)
        // An independent reader: amixer through the same configuration.
        let config = pulse.directory.path("asound.conf")
        try pulse.device.configText!.write(toFile: config, atomically: true, encoding: .utf8)
        let amixer = try Tool.check("amixer", ["-D", "loapulse", "sget", "Master"], environment: ["ALSA_CONFIG_PATH": config])
        #expect(amixer.stdoutText.contains("[40%]"), "amixer says: \(amixer.stdoutText)")
        let missing = #expect(throws: AudioError.self) { try ALSAMixerVolume(pcm: pulse.device, element: "Speaker") }
        #expect(missing?.description.contains("no element 'Speaker'") == true)
    }

    @Test("playback is paced: 1 s of audio takes about 1 s, and delay reports the queue")
    func paced() throws {
        let pulse = try PulseAudioNullSink()
        defer { pulse.stop() }
        let output = ALSAPlayback(device: pulse.device, latency: .milliseconds(100))
        let format = AudioFormat(sampleRate: 8_000, channels: 1)
        try output.open(format: format)
        defer { output.close() }
        let clock = ContinuousClock(), start = clock.now
        try output.write(Signal.sine(frequency: 440, seconds: 1, format: format))
        #expect(output.delay() > 0, "audio should be queued ahead of the speaker")
        try output.drain()
        let elapsed = start.duration(to: clock.now)
        // The null sink takes up to ~2 s to take its first data, then runs in real time.
        #expect(elapsed > .milliseconds(800) && elapsed < .seconds(6), "took \(elapsed)")
        #expect(output.delay() == 0)
    }

    @Test("cancel from another thread stops a long write early")
    func cancelInterruptsWrite() async throws {
        let pulse = try PulseAudioNullSink()
        defer { pulse.stop() }
        let output = ALSAPlayback(device: pulse.device, latency: .milliseconds(100))
        let format = AudioFormat(sampleRate: 8_000, channels: 1)
        try output.open(format: format)
        defer { output.close() }
        let clock = ContinuousClock(), start = clock.now
        let finished = DispatchSemaphore(value: 0)
        Thread {
            try? output.write(int16: [Int16](repeating: 0, count: 8_000 * 5))  // 5 s
            finished.signal()
        }.start()
        try await Task.sleep(for: .milliseconds(300))
        output.cancel()
        // The write holds 5 s of audio; returning clearly before that proves the cancel cut it
        // short. The margin is wide because this machine is shared and the null sink starts slowly.
        #expect(finished.wait(timeout: .now() + 4) == .success)
        #expect(start.duration(to: clock.now) < .milliseconds(4_500))
    }

    @Test("starving the device is an underrun that is recovered and counted")
    func underrun() throws {
        let pulse = try PulseAudioNullSink()
        defer { pulse.stop() }
        let output = ALSAPlayback(device: pulse.device, latency: .milliseconds(100))
        let format = AudioFormat(sampleRate: 8_000, channels: 1)
        try output.open(format: format)
        defer { output.close() }
        try output.write(int16: [Int16](repeating: 0, count: 4_000))  // 0.5 s: starts playing
        Thread.sleep(forTimeInterval: 1.0)                               // the player is late
        try output.write(int16: [Int16](repeating: 0, count: 4_000))
        try output.write(int16: [Int16](repeating: 0, count: 4_000))
        try output.drain()
        #expect(output.underruns >= 1)
    }
}
