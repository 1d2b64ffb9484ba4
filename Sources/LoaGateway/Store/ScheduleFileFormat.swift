import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The bytes of `schedule/current.schedule`: a header that makes a damaged file detectable,
/// then the document.
///
///     "LOASCHD1"            8 bytes magic (format 1)
///     version               8 bytes, big-endian
///     document length       8 bytes, big-endian
///     SHA-256 of document  32 bytes
///     document              length bytes
///
/// Pure: encoding and decoding touch no file.
public enum ScheduleFileFormat {
    static let magic = Array("LOASCHD1".utf8)
    static let headerSize = 8 + 8 + 8 + 32

    /// Why a schedule file could not be read back.
    public enum Defect: Error, Hashable, Sendable, CustomStringConvertible {
        case tooShort(bytes: Int)
        case wrongMagic
        case lengthMismatch(declared: UInt64, present: Int)
        case checksumMismatch

        public var description: String {
            switch self {
            case .tooShort(let bytes): return "only \(bytes) bytes, shorter than the \(ScheduleFileFormat.headerSize)-byte header"
            case .wrongMagic: return "not a Loa schedule file (bad magic)"
            case .lengthMismatch(let declared, let present): return "header declares \(declared) document bytes, file holds \(present)"
            case .checksumMismatch: return "document SHA-256 does not match the header"
            }
        }
    }

    public static func encode(_ schedule: StoredSchedule) -> [UInt8] {
        var bytes = magic
        bytes.reserveCapacity(headerSize + schedule.document.count)
        appendBigEndian(schedule.version, to: &bytes)
        appendBigEndian(UInt64(schedule.document.count), to: &bytes)
        bytes += SHA256.hash(data: schedule.document)
        bytes += schedule.document
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) -> Result<StoredSchedule, Defect> {
        guard bytes.count >= headerSize else { return .failure(.tooShort(bytes: bytes.count)) }
        guard Array(bytes[0 ..< 8]) == magic else { return .failure(.wrongMagic) }
        let version = readBigEndian(bytes, at: 8)
        let length = readBigEndian(bytes, at: 16)
        let present = bytes.count - headerSize
        guard length == UInt64(present) else { return .failure(.lengthMismatch(declared: length, present: present)) }
        let document = Data(bytes[headerSize...])
        guard Array(SHA256.hash(data: document)) == Array(bytes[24 ..< 56]) else { return .failure(.checksumMismatch) }
        return .success(StoredSchedule(version: version, document: document))
    }

    private static func appendBigEndian(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes[offset ..< offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
