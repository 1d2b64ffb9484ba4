/// CRC-16/ARC (polynomial 0x8005 reflected, initial 0), the CRC of LAME's tag fields:
/// written by `InfoTagFrame`, checked by `LAMETag`.
enum CRC16 {
    private static let table: [UInt16] = (0..<256).map { byte in
        var crc = UInt16(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
        return crc
    }

    static func arc<C: Collection>(_ bytes: C, initial: UInt16 = 0) -> UInt16 where C.Element == UInt8 {
        var crc = initial
        for byte in bytes { crc = (crc >> 8) ^ table[Int((crc ^ UInt16(byte)) & 0xFF)] }
        return crc
    }
}
