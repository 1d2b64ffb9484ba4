/// Splits a byte stream into frames without NIO; shared by the NIO decoder and the fuzzer.
///
/// The length is checked against `maxFrameLength` as soon as its four bytes are present,
/// before anything of that size is allocated or awaited.
public struct FrameParser: Sendable {
    public var maxFrameLength: UInt32

    public init(maxFrameLength: UInt32 = Frame.defaultMaxLength) {
        self.maxFrameLength = maxFrameLength
    }

    /// What one parse step found.
    public enum Step: Equatable, Sendable {
        case needMoreData
        case frame(Frame, consumed: Int)
    }

    /// Rejects a length before any buffering: zero, or over the limit.
    public func validate(length: UInt32) throws(ProtocolError) {
        if length == 0 { throw .emptyFrame }
        if length > maxFrameLength { throw .frameTooLarge(length: length, limit: maxFrameLength) }
    }

    /// Parses one frame from the front of `bytes`.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(ProtocolError) -> Step {
        guard bytes.count >= 4 else { return .needMoreData }
        let length = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        try validate(length: length)
        let total = 4 + Int(length)
        guard bytes.count >= total else { return .needMoreData }
        let frame = Frame(type: bytes[4], payload: Array(bytes[5..<total]))
        return .frame(frame, consumed: total)
    }

    /// Parses every complete frame in `bytes`; returns them and the count of bytes left over.
    public func parseAll(_ bytes: [UInt8]) throws(ProtocolError) -> (frames: [Frame], leftover: Int) {
        var frames: [Frame] = []
        var offset = 0
        while offset < bytes.count {
            let result: Result<Step, ProtocolError> = bytes.withUnsafeBytes { all in
                Result { () throws(ProtocolError) -> Step in try parse(UnsafeRawBufferPointer(rebasing: all[offset...])) }
            }
            let step = try result.get()
            guard case .frame(let frame, let consumed) = step else { break }
            frames.append(frame)
            offset += consumed
        }
        return (frames, bytes.count - offset)
    }
}
