/// The values inside a TOML document for `TOMLReader`'s scanner: strings in their four forms
/// with escapes, integers, floats, dates and times.
extension TOMLReader.Scanner {
    // MARK: Strings

    mutating func basicString() throws(TOMLSyntaxError) -> String {
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = current, byte != 0x0A, byte != 0x0D else { throw fail("a string without its closing '\"'") }
            if byte == UInt8(ascii: "\"") { advance(); return try utf8(text) }
            if byte == UInt8(ascii: "\\") { try escape(into: &text); continue }
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail("a control character in a string") }
            text.append(byte)
            advance()
        }
    }

    mutating func literalString() throws(TOMLSyntaxError) -> String {
        advance()
        let start = index
        while let byte = current, byte != UInt8(ascii: "'") {
            if byte == 0x0A || byte == 0x0D { break }
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail("a control character in a string") }
            advance()
        }
        guard current == UInt8(ascii: "'") else { throw fail("a string without its closing \"'\"") }
        let text = Array(bytes[start..<index])
        advance()
        return try utf8(text)
    }

    /// `"""…"""` (escapes, and a backslash at a line's end joins lines) or `'''…'''` (taken as written).
    mutating func multilineString(quote: UInt8) throws(TOMLSyntaxError) -> String {
        let escapes = quote == UInt8(ascii: "\"")
        let delimiter = String(repeating: String(Unicode.Scalar(quote)), count: 3)
        advance(3)
        _ = try newline()
        var text: [UInt8] = []
        while true {
            guard let byte = current else { throw fail("a multi-line string without its closing \(delimiter)") }
            if starts(with: delimiter) {
                // Up to two quotes may end the content just before the delimiter.
                var quotes = 3
                while peek(quotes) == quote, quotes < 5 { quotes += 1 }
                text.append(contentsOf: repeatElement(quote, count: quotes - 3))
                advance(quotes)
                return try utf8(text)
            }
            if escapes, byte == UInt8(ascii: "\\") {
                // A backslash at the end of a line trims the newline and the blanks after it.
                var look = index + 1
                while look < bytes.count, bytes[look] == 0x20 || bytes[look] == 0x09 { look += 1 }
                if look < bytes.count, bytes[look] == 0x0A || bytes[look] == 0x0D {
                    index = look
                    while true {
                        skipSpaces()
                        guard try newline() else { break }
                    }
                    continue
                }
                try escape(into: &text)
                continue
            }
            if try newline() { text.append(0x0A); continue }
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail("a control character in a string") }
            text.append(byte)
            advance()
        }
    }

    mutating func escape(into text: inout [UInt8]) throws(TOMLSyntaxError) {
        advance()
        let simple: [UInt8: UInt8] = [UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A,
                                      UInt8(ascii: "f"): 0x0C, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "\""): 0x22,
                                      UInt8(ascii: "\\"): 0x5C]
        guard let byte = current else { throw fail("a string ends in a backslash") }
        if let replacement = simple[byte] { text.append(replacement); advance(); return }
        let digits = byte == UInt8(ascii: "u") ? 4 : byte == UInt8(ascii: "U") ? 8 : 0
        guard digits > 0 else { throw fail("unknown escape '\\\(Unicode.Scalar(byte))'") }
        guard index + digits < bytes.count,
              let code = UInt32(String(decoding: bytes[index + 1...index + digits], as: UTF8.self), radix: 16),
              let scalar = Unicode.Scalar(code) else { throw fail("'\\\(Unicode.Scalar(byte))' needs \(digits) hex digits of a Unicode scalar") }
        text.append(contentsOf: Array(String(Character(scalar)).utf8))
        advance(digits + 1)
    }

    func utf8(_ text: [UInt8]) throws(TOMLSyntaxError) -> String {
        guard let string = String(validating: text, as: UTF8.self) else { throw fail("a string that is not UTF-8") }
        return string
    }

    // MARK: Numbers, dates, times

    mutating func scalar() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        while let byte = current, Self.isBare(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":") { advance() }
        // A date and a time may be separated by one space.
        if index - start == 10, current == 0x20, let next = peek(1), (0x30...0x39).contains(next) {
            advance()
            while let byte = current, Self.isBare(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: ":") { advance() }
        }
        let token = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !token.isEmpty else { throw fail("expected a value") }
        if let value = Self.number(token) { return value }
        if Self.isDateOrTime(token) { return .dateTime(token) }
        index = start
        throw fail("'\(token)' is not a TOML value (a string needs quotes)")
    }

    static func isDateOrTime(_ token: String) -> Bool {
        let shape = String(token.map { $0.isASCII && $0.isNumber ? "9" : $0 })
        return shape.hasPrefix("9999-99-99") || shape.hasPrefix("99:99:99")
    }

    /// A TOML integer or float, or nil.
    static func number(_ token: String) -> TOMLValue? {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where token.hasPrefix(prefix) {
            let digits = String(token.dropFirst(2))
            guard validUnderscores(digits), digits.allSatisfy({ $0 == "_" || $0.isHexDigit }), let value = Int(digits.filter { $0 != "_" }, radix: radix) else { return nil }
            return .integer(value)
        }
        var body = Substring(token)
        var sign = ""
        if let first = body.first, first == "+" || first == "-" { sign = String(first); body = body.dropFirst() }
        switch body {
        case "inf": return .float(sign == "-" ? -.infinity : .infinity)
        case "nan": return .float(.nan)
        default: break
        }
        let exponentAt = body.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = exponentAt.map { body[..<$0] } ?? body
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, isDecimal(whole), !(whole.count > 1 && whole.first == "0") else { return nil }
        if parts.count == 2 { guard isDecimal(parts[1]) else { return nil } }
        if let exponentAt {
            var exponent = body[body.index(after: exponentAt)...]
            if let first = exponent.first, first == "+" || first == "-" { exponent = exponent.dropFirst() }
            guard isDecimal(exponent) else { return nil }
        }
        let plain = sign + body.filter { $0 != "_" }
        if parts.count == 1 && exponentAt == nil {
            return Int(plain).map(TOMLValue.integer)
        }
        return Double(plain).map(TOMLValue.float)
    }

    static func isDecimal(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0 == "_" || ($0.isASCII && $0.isNumber) } && validUnderscores(String(text))
    }

    /// Underscores only between two digits.
    static func validUnderscores(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("_") && !text.hasSuffix("_") && !text.contains("__")
    }
}
