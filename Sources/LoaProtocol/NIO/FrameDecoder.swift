import NIOCore

/// Splits inbound bytes into `Frame`s. A length over `maxFrameLength` (or zero) throws
/// `ProtocolError` as soon as the 4 length bytes arrive, before any buffering of that size;
/// bytes left at EOF throw `.truncatedFrame`. Use with `ByteToMessageHandler`.
///
/// The first two inbound frames of a connection are always handshake frames (hello and
/// authenticate, or challenge and authenticated), so they get the much smaller
/// `handshakeFrameLimit`: an unauthenticated peer cannot make either end buffer a megabyte.
/// Extension frames (0x80–0xFF) do not count as one of the two: every frame stays under the
/// handshake limit until two core frames have arrived (and the session refuses an extension
/// frame before it is ready), so leading extension frames cannot open the 1 MiB limit early.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = Frame

    /// Default limit for the first two frames.
    public static let defaultHandshakeFrameLimit: UInt32 = 4096

    public let parser: FrameParser
    private let handshakeParser: FrameParser
    /// Core (non-extension) frames decoded so far, up to 2.
    private var handshakeFramesDecoded = 0

    public init(maxFrameLength: UInt32 = Frame.defaultMaxLength, handshakeFrameLimit: UInt32 = FrameDecoder.defaultHandshakeFrameLimit) {
        self.parser = FrameParser(maxFrameLength: maxFrameLength)
        self.handshakeParser = FrameParser(maxFrameLength: min(maxFrameLength, handshakeFrameLimit))
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try nextFrame(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let frame = try nextFrame(&buffer) {
            context.fireChannelRead(wrapInboundOut(frame))
        }
        guard buffer.readableBytes == 0 else {
            let available = buffer.readableBytes
            let expected = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self).map { Int($0) + 4 } ?? 4
            buffer.moveReaderIndex(forwardBy: available)
            throw ProtocolError.truncatedFrame(expected: expected, available: available)
        }
        return .needMoreData
    }

    private mutating func nextFrame(_ buffer: inout ByteBuffer) throws(ProtocolError) -> Frame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        try (handshakeFramesDecoded < 2 ? handshakeParser : parser).validate(length: length)
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let type = buffer.readInteger(as: UInt8.self)!
        let payload = buffer.readBytes(length: Int(length) - 1)!
        if handshakeFramesDecoded < 2, !FrameType.isIgnorableExtension(type) { handshakeFramesDecoded += 1 }
        return Frame(type: type, payload: payload)
    }
}
