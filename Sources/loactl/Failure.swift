import ArgumentParser
import Foundation
import LoaAudio

/// Exit codes after sysexits.h, so scripts can tell bad input from a missing file or a device fault.
enum ExitStatus {
    static let usage: Int32 = 64        // a bad option value
    static let dataError: Int32 = 65    // the input is not usable audio
    static let noInput: Int32 = 66      // the input file cannot be opened
    static let unavailable: Int32 = 69  // the audio device cannot be used
    static let software: Int32 = 70     // a codec library failed
    static let cannotCreate: Int32 = 73 // the output cannot be written
}

/// Runs `body`, turning the audio core's errors into one line on stderr and a sysexits code.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as AudioError {
        let status: Int32
        switch error {
        case .unsupportedFormat, .corrupt, .empty: status = ExitStatus.dataError
        case .device: status = ExitStatus.unavailable
        case .invalidSetting: status = ExitStatus.usage
        case .codec: status = ExitStatus.software
        }
        throw fail("\(error)", status: status)
    } catch let error as LoudnessError {
        throw fail("\(error)", status: ExitStatus.dataError)
    } catch let error as AudioFileError {
        throw fail("\(error)", status: ExitStatus.noInput)
    } catch let error as OutputError {
        throw fail("\(error)", status: ExitStatus.cannotCreate)
    }
}

func fail(_ message: String, status: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("loactl: error: \(message)\n".utf8))
    return ExitCode(status)
}

/// The output file could not be written.
struct OutputError: Error, CustomStringConvertible {
    var description: String
}

/// Writes `bytes` to `path` atomically: a crash never leaves half a file there.
func writeOutput(_ bytes: [UInt8], to path: String) throws {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw OutputError(description: "cannot write '\(path)': \(error.localizedDescription)")
    }
}

/// Progress on stderr, only when stderr is a terminal (so logs and pipes stay clean).
struct Progress {
    let label: String
    let enabled = isatty(STDERR_FILENO) == 1
    private var lastShown = -1

    init(_ label: String) { self.label = label }

    mutating func update(_ fraction: Double) {
        guard enabled else { return }
        let percent = Int(fraction * 100)
        guard percent != lastShown else { return }
        lastShown = percent
        FileHandle.standardError.write(Data("\r\(label) \(percent)%".utf8))
    }

    func done() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\(label) done\n".utf8))
    }
}

/// Seconds with two decimals, for people.
func formatSeconds(_ value: Double) -> String {
    String(format: "%.2f", value)
}
