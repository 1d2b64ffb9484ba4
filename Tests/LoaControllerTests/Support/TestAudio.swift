import Foundation

/// WAV files built byte by byte, so the fixtures do not depend on the code under test.
enum TestAudio {
    /// 16-bit PCM WAV of a sine (the same in every channel); amplitude 0 gives digital silence.
    static func wav(seconds: Double, sampleRate: Int = 44_100, channels: Int = 2, frequency: Double = 440,
                    amplitude: Double = 0.1) -> [UInt8] {
        let frames = Int(seconds * Double(sampleRate))
        var data: [UInt8] = []
        data.reserveCapacity(frames * channels * 2)
        for i in 0..<frames {
            let value = Int16((amplitude * 32767 * sin(2 * .pi * frequency * Double(i) / Double(sampleRate))).rounded())
            for _ in 0..<channels { data += le16(UInt16(bitPattern: value)) }
        }
        var bytes = Array("RIFF".utf8) + le32(UInt32(36 + data.count)) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(1) + le16(UInt16(channels)) + le32(UInt32(sampleRate))
        bytes += le32(UInt32(sampleRate * channels * 2)) + le16(UInt16(channels * 2)) + le16(16)
        bytes += Array("data".utf8) + le32(UInt32(data.count)) + data
        return bytes
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    /// Deterministic noise that does not start like a WAV or an MP3.
    static func randomBytes(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        var bytes = (0..<count).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        bytes[0] = 0x13
        return bytes
    }
}
