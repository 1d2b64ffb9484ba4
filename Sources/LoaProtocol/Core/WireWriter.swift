/// Appends big-endian integers and raw bytes; the binary half of the codec.
public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write<C: Collection>(bytes more: C) where C.Element == UInt8 {
        bytes.append(contentsOf: more)
    }
}
