/// RFC 8536 (TZif versions 1 to 4): the header, the version 1 data block (skipped when a
/// version 2+ block follows), the 64-bit data block and the footer's POSIX TZ string. Leap
/// second records are read past, not applied: Loa's instants are POSIX time, as the files
/// under `/usr/share/zoneinfo` (not `right/`) are.
enum TZifParser {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func parse(_ bytes: [UInt8], identifier: String) throws(Failure) -> ZoneRules {
        var reader = Reader(bytes: bytes)
        let first = try Header(&reader)
        if first.version == 0 {
            let block = try Block(&reader, first, timeSize: 4)
            return try rules(block, footer: nil, identifier: identifier)
        }
        try reader.skip(first.dataSize(timeSize: 4))
        let second = try Header(&reader)
        let block = try Block(&reader, second, timeSize: 8)
        // The footer: "\n" TZ string "\n" (empty when the table says everything).
        guard try reader.byte() == 0x0A else { throw Failure("no newline before the footer") }
        var text: [UInt8] = []
        while true {
            let byte = try reader.byte()
            if byte == 0x0A { break }
            text.append(byte)
            guard text.count <= 256 else { throw Failure("footer longer than 256 bytes") }
        }
        let footer = text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
        let rule: POSIXTimeZoneRule?
        do { rule = try footer.map(POSIXTimeZoneRule.init(parsing:)) } catch { throw Failure("footer '\(footer ?? "")': \(error.description)") }
        return try rules(block, footer: rule, identifier: identifier)
    }

    private static func rules(_ block: Block, footer: POSIXTimeZoneRule?, identifier: String) throws(Failure) -> ZoneRules {
        var previous = Int64.min
        for time in block.times {
            guard time > previous else { throw Failure("transition times are not ascending") }
            previous = time
        }
        return ZoneRules(identifier: identifier, transitions: block.times, offsets: block.indices.map { block.types[Int($0)] },
                         initialOffset: block.types[0], footer: footer)
    }

    struct Header {
        var version: UInt8
        var isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int

        init(_ reader: inout Reader) throws(Failure) {
            guard try reader.take(4) == Array("TZif".utf8) else { throw Failure("no TZif magic") }
            let raw = try reader.byte()
            switch raw {
            case 0: version = 0
            case UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4"): version = raw - UInt8(ascii: "0")
            default: throw Failure("unknown version byte \(raw)")
            }
            try reader.skip(15)
            isutcnt = try reader.count()
            isstdcnt = try reader.count()
            leapcnt = try reader.count()
            timecnt = try reader.count()
            typecnt = try reader.count()
            charcnt = try reader.count()
            guard typecnt >= 1, charcnt >= 1, isutcnt == 0 || isutcnt == typecnt, isstdcnt == 0 || isstdcnt == typecnt else {
                throw Failure("inconsistent counts (types \(typecnt), designations \(charcnt), std/wall \(isstdcnt), UT/local \(isutcnt))")
            }
        }

        func dataSize(timeSize: Int) -> Int {
            timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
        }
    }

    struct Block {
        var times: [Int64] = []
        var indices: [UInt8] = []
        /// Each local time type's UT offset.
        var types: [Int32] = []

        init(_ reader: inout Reader, _ header: Header, timeSize: Int) throws(Failure) {
            for _ in 0..<header.timecnt { times.append(timeSize == 8 ? try reader.int64() : Int64(try reader.int32())) }
            for _ in 0..<header.timecnt {
                let index = try reader.byte()
                guard Int(index) < header.typecnt else { throw Failure("a transition names local time type \(index) of \(header.typecnt)") }
                indices.append(index)
            }
            for _ in 0..<header.typecnt {
                let offset = try reader.int32()
                guard offset > -89_999 && offset < 93_600 else { throw Failure("UT offset \(offset) s out of range") }
                types.append(offset)
                try reader.skip(2)  // isdst, designation index
            }
            try reader.skip(header.charcnt + header.leapcnt * (timeSize + 4) + header.isstdcnt + header.isutcnt)
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func take(_ count: Int) throws(Failure) -> [UInt8] {
            guard count >= 0, at + count <= bytes.count else { throw Failure("cut short at byte \(bytes.count)") }
            defer { at += count }
            return Array(bytes[at..<(at + count)])
        }

        mutating func skip(_ count: Int) throws(Failure) { _ = try take(count) }
        mutating func byte() throws(Failure) -> UInt8 { try take(1)[0] }

        mutating func int32() throws(Failure) -> Int32 {
            Int32(bitPattern: try take(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }

        mutating func int64() throws(Failure) -> Int64 {
            Int64(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }

        mutating func count() throws(Failure) -> Int {
            let value = try int32()
            guard value >= 0, value < 1_000_000 else { throw Failure("count \(value) out of range") }
            return Int(value)
        }
    }
}
