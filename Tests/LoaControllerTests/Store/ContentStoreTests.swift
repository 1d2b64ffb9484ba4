import Foundation
import Testing
@testable import LoaController

@Suite struct ContentStoreTests {
    let store: ContentStore

    init() throws {
        store = try ContentStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("loa-content-\(UUID().uuidString)"))
    }

    @Test func sameBytesAreStoredOnce() throws {
        let bytes = Data((0..<10_000).map { UInt8($0 % 251) })
        let first = try store.put(bytes)
        #expect(first.isNew)
        #expect(first.sha256 == ContentStore.sha256Hex(of: bytes))
        #expect(first.byteSize == 10_000)
        let second = try store.put(bytes)
        #expect(!second.isNew)
        #expect(second.sha256 == first.sha256)
        #expect(try store.read(first.sha256) == bytes)
        #expect(store.url(for: first.sha256).path.hasSuffix("/\(first.sha256.prefix(2))/\(first.sha256).mp3"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.appendingPathComponent("tmp").path).isEmpty)
    }

    @Test func knownVector() {
        #expect(ContentStore.sha256Hex(of: Data("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func missingContentIsNamed() {
        let hash = String(repeating: "ab", count: 32)
        #expect(!store.contains(hash))
        #expect(throws: StoreError.notFound(kind: "content", id: hash)) { try store.read(hash) }
    }
}
