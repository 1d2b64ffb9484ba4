import Foundation
@testable import LoaAudio

/// A fresh directory under the system temp dir, removed by `cleanup()`.
struct TemporaryDirectory {
    let url: URL

    init(_ label: String = "loa-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// The result of running an external program.
struct ToolRun {
    var status: Int32
    var stdout: Data
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

enum Tool {
    /// Runs `program` (looked up on PATH) with `arguments`; stdout and stderr are captured.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ToolRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        // Capture into files rather than pipes: a chatty tool can never stall on a full pipe.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loa-tool-\(UUID().uuidString)")
        let outURL = scratch.appendingPathExtension("out"), errURL = scratch.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? out.close(); try? err.close()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return ToolRun(status: process.terminationStatus, stdout: outData,
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a program and throws with its stderr when it exits non-zero.
    @discardableResult
    static func check(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ToolRun {
        let result = try run(program, arguments, environment: environment)
        guard result.status == 0 else {
            throw ToolFailure(description: "\(program) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result
    }

    /// Path of an executable built by this package (they sit beside the test bundle).
    static func built(_ name: String) -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // Swift Testing on Linux runs `…/debug/LoaPackageTests.xctest`; products share that folder.
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) {
            dir = Bundle.main.bundleURL
        }
        return dir.appendingPathComponent(name).path
    }
}

struct ToolFailure: Error, CustomStringConvertible { var description: String }

enum Signal {
    /// A sine wave of `frequency` Hz at `amplitude` (0…1), in `format` (same signal on every channel).
    static func sine(frequency: Double, amplitude: Float = 0.5, seconds: Double, format: AudioFormat) -> PCMBuffer {
        let frames = Int((seconds * Double(format.sampleRate)).rounded())
        var samples = [Float](repeating: 0, count: frames * format.channels)
        let step = 2 * Double.pi * frequency / Double(format.sampleRate)
        for frame in 0..<frames {
            let value = amplitude * Float(sin(step * Double(frame)))
            for channel in 0..<format.channels { samples[frame * format.channels + channel] = value }
        }
        return PCMBuffer(format: format, samples: samples)
    }

    static func rms(_ samples: [Float]) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    /// Signal-to-noise ratio in dB of `test` against `reference` (the noise is their difference).
    static func snr(reference: [Float], test: [Float]) -> Double {
        let n = min(reference.count, test.count)
        var signal = 0.0, noise = 0.0
        for i in 0..<n {
            signal += Double(reference[i]) * Double(reference[i])
            let d = Double(reference[i]) - Double(test[i])
            noise += d * d
        }
        return noise == 0 ? .infinity : 10 * log10(signal / noise)
    }

    /// Dominant frequency by counting rising zero crossings (good enough for a clean sine).
    static func dominantFrequency(_ samples: [Float], sampleRate: Int) -> Double {
        var crossings = 0
        var first = -1, last = -1
        for i in 1..<samples.count where samples[i - 1] < 0 && samples[i] >= 0 {
            crossings += 1
            if first < 0 { first = i }
            last = i
        }
        guard crossings > 1 else { return 0 }
        return Double(crossings - 1) * Double(sampleRate) / Double(last - first)
    }
}
