import LoaAudio
import Logging

/// The controller's microphone as a live source: records an ALSA capture PCM (one of
/// `live.capture_devices`) at the deployment's rate and channels in 100 ms reads on a thread of
/// its own, and feeds the pump, which encodes with LAME as it goes. A real microphone is paced by
/// its card; a `type file` PCM (tests) is not, and the pump's pacing holds it to real time. The
/// stream ends when an operator stops it or the device fails (the reason names the device).
struct LiveCapture {
    let stream: LiveStream
    let device: ALSADevice
    let hub: LiveHub
    let logger: Logger

    func run() async {
        do {
            _ = try await hub.attachSource(stream.id, closeSource: {})
        } catch {
            logger.notice("capture not started", metadata: ["live.id": "\(stream.id)", "error": "\(error)"])
            return
        }
        let format = AudioFormat(sampleRate: hub.settings.encoder.sampleRate, channels: hub.settings.encoder.channels)
        let input = ALSACapture(device: device)
        let chunk = format.sampleRate / 10
        let logger = self.logger
        let name = stream.captureDevice ?? device.name
        await ThreadedSource(streamID: stream.id, hub: hub, logger: logger,
                             open: {
                                 do { try input.open(format: format) } catch { throw CaptureFailure(device: name, error: error) }
                                 logger.notice("capture open", metadata: ["live.id": "\(stream.id)", "capture.device": "\(name)"])
                             },
                             read: {
                                 let samples: [Int16]
                                 do { samples = try input.read(frames: chunk) } catch { throw CaptureFailure(device: name, error: error) }
                                 return (PCMBuffer(format: format, samples: samples.map { Float($0) / 32_768 }), 0)
                             },
                             cancel: { input.close() }, failureWord: "capture failed", failureBeforeAirEnds: true).run()
    }

    struct CaptureFailure: Error, CustomStringConvertible {
        let device: String
        let error: any Error
        var description: String { "microphone '\(device)': \(error)" }
    }
}
