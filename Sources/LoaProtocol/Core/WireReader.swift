/// Reads big-endian integers and raw bytes from a payload, failing instead of trapping.
public struct WireReader: Sendable {
    private let bytes: [UInt8]
    private let context: String
    public private(set) var index: Int = 0

    /// `context` names the message in errors ("contentChunk").
    public init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    public var remaining: Int { bytes.count - index }

    public mutating func read<T: FixedWidthInteger>(_: T.Type) throws(ProtocolError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw .invalidPayload(type: context, reason: "needs \(size) more bytes at offset \(index), has \(remaining)")
        }
        var value: T = 0
        for i in 0..<size { value = value << 8 | T(bytes[index + i]) }
        index += size
        return value
    }

    public mutating func read(count: Int) throws(ProtocolError) -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw .invalidPayload(type: context, reason: "needs \(count) bytes at offset \(index), has \(remaining)")
        }
        defer { index += count }
        return Array(bytes[index..<index + count])
    }

    public mutating func readRest() -> [UInt8] {
        defer { index = bytes.count }
        return Array(bytes[index...])
    }

    public mutating func readContentHash() throws(ProtocolError) -> ContentHash {
        ContentHash(bytes: try read(count: 32))!
    }

    public func expectEnd() throws(ProtocolError) {
        guard remaining == 0 else {
            throw .invalidPayload(type: context, reason: "\(remaining) unexpected trailing bytes")
        }
    }
}
