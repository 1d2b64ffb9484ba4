/// One frame on the wire: `u32 length (big-endian, counts type + payload) | u8 type | payload`.
public struct Frame: Equatable, Hashable, Sendable {
    /// Bytes before the payload: 4 length bytes and the type byte.
    public static let headerSize = 5
    /// Default hard limit on `length` (type byte + payload): 1 MiB.
    public static let defaultMaxLength: UInt32 = 1 << 20

    /// The raw type byte (kept raw so unknown types can be reported and skipped).
    public var type: UInt8
    public var payload: [UInt8]

    public init(type: UInt8, payload: [UInt8] = []) {
        self.type = type
        self.payload = payload
    }

    public init(_ type: FrameType, payload: [UInt8] = []) {
        self.init(type: type.rawValue, payload: payload)
    }

    /// The complete frame bytes, header included.
    public func serialized() -> [UInt8] {
        var writer = WireWriter(capacity: Frame.headerSize + payload.count)
        writer.write(UInt32(payload.count + 1))
        writer.write(type)
        writer.write(bytes: payload)
        return writer.bytes
    }
}
