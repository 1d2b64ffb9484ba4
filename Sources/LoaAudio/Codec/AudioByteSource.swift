/// Bytes of a whole file read by position, so a decoder can take a long upload a slice at a
/// time and a second pass can start again from the beginning.
public protocol AudioByteSource {
    /// Length of the whole file.
    var byteCount: Int { get }
    /// At most `count` bytes from `offset`; fewer only at the end, none past it.
    func read(at offset: Int, upTo count: Int) throws -> [UInt8]
}

/// A file already in memory (tests, small uploads).
public struct ByteArraySource: AudioByteSource, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var byteCount: Int { bytes.count }

    public func read(at offset: Int, upTo count: Int) -> [UInt8] {
        let start = min(max(0, offset), bytes.count)
        return Array(bytes[start..<min(bytes.count, start + max(0, count))])
    }
}

extension AudioFileReader: AudioByteSource {}
