import Foundation
@testable import LoaAudio

/// Helpers for the ALSA tests: raw S16_LE files in and out.
enum RawPCMFile {
    static func read(_ path: String) throws -> [Int16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count - 1, by: 2).map {
                Int16(littleEndian: Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8))
            }
        }
    }

    static func write(_ samples: [Int16], to path: String) throws {
        var data = Data(capacity: samples.count * 2)
        for sample in samples {
            let bits = UInt16(bitPattern: sample.littleEndian)
            data.append(UInt8(bits & 0xff))
            data.append(UInt8(bits >> 8))
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    /// RMS of Int16 samples as floats in -1…1.
    static func rms(_ samples: [Int16]) -> Double {
        Signal.rms(samples.map { Float($0) / 32768 })
    }
}
