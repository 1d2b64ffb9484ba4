import Foundation
@testable import LoaService
import Testing

/// The configuration's TOML reader against Python's `tomllib` (the standard library's TOML 1.0
/// parser) as the oracle: every document here is read by both, and both must agree on every
/// value — floats to the bit — or both refuse it.
@Suite struct TOMLReaderTests {
    static let valid: [String] = [
        "",
        "# only a comment\n\n",
        "a = 1\nb = -2\nc = +3\nd = 1_000_000\ne = 0\nf = -0\n",
        "hex = 0xDEAD_beef\noct = 0o755\nbin = 0b1101_0110\n",
        "f1 = 1.0\nf2 = -3.1415\nf3 = 5e+22\nf4 = 1e06\nf5 = -2E-2\nf6 = 6.626e-34\nf7 = 224_617.445_991\nf8 = 0.1\n",
        "i1 = inf\ni2 = +inf\ni3 = -inf\n",
        "t = true\nf = false\n",
        #"s = "tab\there, quote \" backslash \\ and \u00e9 \U0001F600 \b\f\r\n end""# + "\n",
        "lit = 'C:\\Users\\loa' # a comment\nq = '<\\i\\c*\\s*>'\n",
        "ml = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n",
        "ml = \"\"\"\\\n    The quick \\\n    brown fox\"\"\"\n",
        "ml = \"\"\"Here are two quotes: \"\". Five: \"\"\"\"\"\n",
        "ml = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n",
        "ml = '''That's still pointless'''\nq = ''''one quote''''\n",
        "ml = '''C:\\path\\ \\t stays as written\n'''\n",
        "[controller]\nhosts = [\"a.example\", \"b.example:7400\"]\nport = 7400\n\n[audio]\ndevice = \"default\"\n",
        "arr = [ 1, 2, 3, ]\nnested = [[1, 2], ['a', \"b\"]]\nmixed = [1, 'x', 2.5]\nempty = []\n",
        "multi = [\n  \"a\", # first\n  # between\n  \"b\",\n]\n",
        "name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = {x=1,y=2}\nempty = {}\n",
        "a.b.c = 1\na.d = 2\n\"quoted key\" = 3\n'lit key' = 4\nsite.\"google.com\" = true\n",
        "[a.b]\nx = 1\n[a]\ny = 2\n",
        "[ spaced . table ]\nk = 'v'\n",
        "[x.y.z.w]\n[x]\n",
        "fruit.apple.color = \"red\"\nfruit.apple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n",
        "key = \"value\"\r\nother = 2\r\n",
        "bare_key = 1\nbare-key = 2\n1234 = 3\n",
        "[gateway]\nid = \"xã-tân-lập-01\"\nname = \"Loa Tân Lập\" # Vietnamese text\n",
    ]

    static let invalid: [String] = [
        "a = \n",
        "a = 1\na = 2\n",
        "[t]\n[t]\n",
        "a = 01\n",
        "a = 1__0\n",
        "a = _1\n",
        "a = 1.\n",
        "a = .5\n",
        "a = +0x10\n",
        "a = 0xG\n",
        "a = \"unterminated\n",
        "a = 'unterminated\n",
        "a = \"\\x\"\n",
        "a = \"\\u12\"\n",
        "a = tru\n",
        "a = bareword\n",
        "a = 1 b = 2\n",
        "[t\nk = 1\n",
        "a = [1, 2\n",
        "a = [1 2]\n",
        "t = { a = 1,\n b = 2 }\n",
        "t = { a = 1 }\nt.b = 2\n",
        "a = 1\na.b = 2\n",
        "a.b = 1\n[a]\nc = 2\n",
        "[a]\nb = 1\n[a.b]\n",
        "k = \"a\u{01}b\"\n",
        "= 1\n",
        "a = 1\r b = 2\n",
    ]

    @Test func readsEveryValidDocumentAsPythonsTomllibDoes() throws {
        let oracle = try Self.python(Self.valid)
        for (document, expected) in zip(Self.valid, oracle) {
            let table = try #require(try? TOMLReader.parse(document), "refused: \(document.debugDescription)")
            #expect(Self.canonical(.table(table)) == expected, "\(document.debugDescription)")
        }
    }

    @Test func refusesWhatPythonsTomllibRefusesWithALineAndColumn() throws {
        let oracle = try Self.python(Self.invalid)
        for (document, expected) in zip(Self.invalid, oracle) {
            #expect(expected == "refused", "the oracle read \(document.debugDescription): \(expected)")
            do {
                let table = try TOMLReader.parse(document)
                Issue.record("read \(document.debugDescription) as \(Self.canonical(.table(table)))")
            } catch {
                #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
            }
        }
    }

    @Test func theShippedConfigurationFilesReadAsPythonReadsThem() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let texts = try ["Deploy/loa-gateway.toml", "Deploy/loa-controller.toml"].map {
            try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)
        }
        let oracle = try Self.python(texts)
        for (text, expected) in zip(texts, oracle) {
            #expect(Self.canonical(.table(try TOMLReader.parse(text))) == expected)
        }
    }

    @Test func errorsPointAtTheLineAndColumn() {
        #expect(throws: TOMLSyntaxError(line: 3, column: 5, message: "'oops' is not a TOML value (a string needs quotes)")) {
            try TOMLReader.parse("a = 1\n\nb = oops\n")
        }
        #expect(throws: TOMLSyntaxError(line: 2, column: 1, message: "key 'a' is defined twice")) {
            try TOMLReader.parse("a = 1\na = 2\n")
        }
        #expect(throws: TOMLSyntaxError(line: 1, column: 1, message: "arrays of tables ([[…]]) are not used in Loa's configuration")) {
            try TOMLReader.parse("[[products]]\nname = 'x'\n")
        }
    }

    @Test func everyKeyKnowsItsLine() throws {
        let table = try TOMLReader.parse("# config\n[audio]\n\ndevice = \"default\"\n\n[link]\nheartbeat_s = 30\n")
        #expect(table["audio"]?.line == 2 && table["link"]?.line == 6)
        guard case .table(let audio)? = table["audio"]?.value, case .table(let link)? = table["link"]?.value else {
            Issue.record("sections are not tables"); return
        }
        #expect(audio["device"] == .init(value: .string("default"), line: 4))
        #expect(link["heartbeat_s"] == .init(value: .integer(30), line: 7))
    }

    /// Python's tomllib refuses a byte order mark; Windows editors write one, so it is skipped.
    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try Self.python(["\u{FEFF}bom = 1\n"]) == ["refused"])
        #expect(try TOMLReader.parse("\u{FEFF}bom = 1\n")["bom"] == .init(value: .integer(1), line: 1))
    }

    @Test func datesAndTimesAreKeptAsWritten() throws {
        let table = try TOMLReader.parse("odt = 1979-05-27T07:32:00Z\nspaced = 1979-05-27 07:32:00.999-07:00\nld = 1979-05-27\nlt = 07:32:00\n")
        #expect(table["odt"]?.value == .dateTime("1979-05-27T07:32:00Z"))
        #expect(table["spaced"]?.value == .dateTime("1979-05-27 07:32:00.999-07:00"))
        #expect(table["ld"]?.value == .dateTime("1979-05-27") && table["lt"]?.value == .dateTime("07:32:00"))
    }

    /// One line per value, the same in Swift and Python: tables with sorted keys, strings as
    /// their scalars in hex, floats as their bits.
    static func canonical(_ value: TOMLValue) -> String {
        switch value {
        case .string(let s): return "s(" + s.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ",") + ")"
        case .integer(let i): return "i(\(i))"
        case .float(let d): return d.isNaN ? "f(nan)" : "f(" + String(d.bitPattern, radix: 16) + ")"
        case .boolean(let b): return "b(\(b))"
        case .dateTime(let text): return "d(\(text))"
        case .array(let items): return "[" + items.map(canonical).joined(separator: ";") + "]"
        case .table(let table):
            return "{" + table.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
                .map { canonical(.string($0)) + "=" + canonical(table[$0]!.value) }.joined(separator: ";") + "}"
        }
    }

    static let oracleScript = #"""
import json, math, struct, sys, tomllib
def s(text): return "s(" + ",".join(format(ord(c), "x") for c in text) + ")"
def canon(v):
    if isinstance(v, bool): return "b(" + ("true" if v else "false") + ")"
    if isinstance(v, int): return "i(%d)" % v
    if isinstance(v, float):
        return "f(nan)" if math.isnan(v) else "f(" + format(struct.unpack(">Q", struct.pack(">d", v))[0], "x") + ")"
    if isinstance(v, str): return s(v)
    if isinstance(v, list): return "[" + ";".join(canon(x) for x in v) + "]"
    if isinstance(v, dict): return "{" + ";".join(s(k) + "=" + canon(v[k]) for k in sorted(v)) + "}"
    return "d(" + v.isoformat() + ")"
out = []
for doc in json.load(sys.stdin):
    try: out.append(canon(tomllib.loads(doc)))
    except tomllib.TOMLDecodeError: out.append("refused")
json.dump(out, sys.stdout)
"""#

    /// Each document as Python's tomllib reads it (canonical), or "refused".
    static func python(_ documents: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", oracleScript]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(documents))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONDecoder().decode([String].self, from: data)
    }
}
