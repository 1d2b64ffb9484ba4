import NIOCore

/// Writes `Frame`s as `u32 length | u8 type | payload`. Use with `MessageToByteHandler`.
public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = Frame

    public init() {}

    public func encode(data: Frame, out: inout ByteBuffer) throws {
        out.reserveCapacity(minimumWritableBytes: Frame.headerSize + data.payload.count)
        out.writeInteger(UInt32(data.payload.count + 1))
        out.writeInteger(data.type)
        out.writeBytes(data.payload)
    }
}
