/// The one rule for what people type that reaches URLs, log lines, the audit log and the gateway
/// protocol: ids (areas, gateways, users) and the free text stored beside them (names, titles).
/// The store applies it to every write, so the API, `loa-controller admin` and any later path
/// share it. An id with a newline or a control character could forge a log line
/// (`"e\n2026-… critical FORGED"`); free text may hold any Vietnamese letter but no control
/// character either.
public enum Identifier {
    public enum Kind: String, Sendable {
        case area, gateway, user

        /// How a valid id of this kind looks, for messages.
        var shape: String {
            switch self {
            case .area, .gateway:
                return "1–64 lowercase letters (a–z, no diacritics), digits and dashes, not starting with a dash, like 'xa-tan-lap-01'"
            case .user:
                return "1–64 letters (a–z, A–Z, no diacritics), digits, '.', '_', '-' or '@', starting with a letter or digit, like 'bt-tan-lap'"
            }
        }
    }

    /// True when `id` is a valid id of `kind`.
    public static func isValid(_ id: String, _ kind: Kind) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, isAlphanumeric(first, kind) else { return false }
        switch kind {
        case .area, .gateway:
            return bytes.allSatisfy { isAlphanumeric($0, kind) || $0 == UInt8(ascii: "-") }
        case .user:
            return bytes.allSatisfy { isAlphanumeric($0, kind) || Array(".-_@".utf8).contains($0) }
        }
    }

    /// Refuses an invalid id with a reason naming the expected shape.
    public static func check(_ id: String, _ kind: Kind) throws(StoreError) {
        guard isValid(id, kind) else {
            throw .invalid(kind: kind.rawValue, id: escaped(id), reason: "an id is \(kind.shape)")
        }
    }

    /// Refuses free text (a name, a title) that is empty, longer than `maxCharacters` or holds a
    /// control character (C0, DEL, C1, or the Unicode line and paragraph separators).
    public static func checkText(_ text: String, field: String, kind: Kind, id: String, maxCharacters: Int = 200)
        throws(StoreError)
    {
        if let problem = textProblem(text, field: field, maxCharacters: maxCharacters) {
            throw .invalid(kind: kind.rawValue, id: escaped(id), reason: problem)
        }
    }

    /// Why `text` is not acceptable as a `field`, or nil.
    public static func textProblem(_ text: String, field: String, maxCharacters: Int = 200) -> String? {
        // Counted and tested per Unicode scalar, as JSON Schema's maxLength and ECMA's \s are
        // (docs/openapi.yaml states these rules as patterns).
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0 == "\u{FEFF}" }) { return "'\(field)' must not be empty" }
        if text.unicodeScalars.count > maxCharacters { return "'\(field)' is limited to \(maxCharacters) characters" }
        if text.unicodeScalars.contains(where: isControl) {
            return "'\(field)' must not contain line breaks or control characters"
        }
        return nil
    }

    /// The text with every control character written as `\u{…}`, for messages and logs that
    /// must quote what a client sent without letting it break the line.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    private static func isAlphanumeric(_ byte: UInt8, _ kind: Kind) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || (kind == .user && (0x41...0x5A).contains(byte))
    }
}
