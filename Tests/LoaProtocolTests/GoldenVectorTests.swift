import Foundation
import Testing
@testable import LoaProtocol

/// The hex blocks of docs/PROTOCOL.md, read at test time, so the document and the code
/// cannot drift apart.
enum ProtocolDocument {
    static var url: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/PROTOCOL.md")
    }

    static func text() throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// Every block that opens with "```hex golden:NAME", as NAME → bytes.
    static func goldenVectors() throws -> [String: [UInt8]] {
        var vectors: [String: [UInt8]] = [:]
        var current: (name: String, hex: String)?
        for line in try text().split(separator: "\n", omittingEmptySubsequences: false) {
            if let block = current {
                if line.hasPrefix("```") {
                    vectors[block.name] = Hex.decode(block.hex.filter { !$0.isWhitespace })
                    current = nil
                } else {
                    current = (block.name, block.hex + line)
                }
            } else if line.hasPrefix("```hex golden:") {
                current = (String(line.dropFirst("```hex golden:".count)).trimmingCharacters(in: .whitespaces), "")
            }
        }
        return vectors
    }
}

@Suite struct GoldenVectorTests {
    @Test func everySampleHasAGoldenVectorInTheDocument() throws {
        let vectors = try ProtocolDocument.goldenVectors()
        #expect(Set(vectors.keys) == Set(Samples.all.map(\.name)))
        #expect(Set(Samples.all.map { $0.message.frameType }) == Set(FrameType.allCases), "a frame type has no sample")
    }

    @Test(arguments: Samples.all.map(\.name))
    func goldenVectorDecodesAndReencodes(name: String) throws {
        let bytes = try #require(try ProtocolDocument.goldenVectors()[name], "no golden block '\(name)' in PROTOCOL.md")
        let expected = try #require(Samples.all.first { $0.name == name }?.message)
        let parsed = try FrameParser().parseAll(bytes)
        #expect(parsed.leftover == 0)
        let frame = try #require(parsed.frames.first)
        #expect(parsed.frames.count == 1)
        #expect(try MessageCodec.decode(frame) == expected)
        #expect(MessageCodec.encode(expected).serialized() == bytes, "encoder output differs from the document")
    }

    @Test func workedHandshakeProofsMatchTheDocument() throws {
        let proof = HandshakeProof(hello: Samples.hello, challenge: Samples.challenge)
        #expect(Hex.encode(proof.gatewayProof(secret: Samples.secret)) == Samples.gatewayMAC)
        #expect(Hex.encode(proof.controllerProof(secret: Samples.secret)) == Samples.controllerMAC)
        let text = try ProtocolDocument.text()
        #expect(text.contains(Samples.gatewayMAC) && text.contains(Samples.controllerMAC))
    }
}
