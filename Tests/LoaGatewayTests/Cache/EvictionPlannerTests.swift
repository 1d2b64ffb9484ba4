import Foundation
import Testing
@testable import LoaGateway

@Suite("Eviction planner")
struct EvictionPlannerTests {
    static func address(_ name: String) -> ContentAddress { ContentAddress(of: Array(name.utf8)) }

    /// name, size, last used (seconds)
    static func entries(_ list: [(String, UInt64, Double)]) -> [CacheEntry] {
        list.map { CacheEntry(address: address($0.0), size: $0.1, lastUsed: Date(timeIntervalSince1970: $0.2)) }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let entries: [(String, UInt64, Double)]
        let needed: Set<String>
        let quota: UInt64
        let incoming: UInt64
        let expected: Expected
        enum Expected: Sendable { case evict([String]), cannotFit(UInt64) }
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "fits without eviction", entries: [("a", 10, 1), ("b", 10, 2)], needed: [], quota: 100, incoming: 50, expected: .evict([])),
        Case(name: "exactly fills the quota", entries: [("a", 50, 1)], needed: [], quota: 100, incoming: 50, expected: .evict([])),
        Case(name: "evicts least recently used first", entries: [("a", 40, 3), ("b", 40, 1), ("c", 40, 2)], needed: [], quota: 100, incoming: 30, expected: .evict(["b", "c"])),
        Case(name: "evicts only as much as needed", entries: [("a", 40, 3), ("b", 40, 1), ("c", 10, 2)], needed: [], quota: 100, incoming: 30, expected: .evict(["b"])),
        Case(name: "skips needed content even when it is oldest", entries: [("old", 50, 0), ("new", 40, 9)], needed: ["old"], quota: 100, incoming: 30, expected: .evict(["new"])),
        Case(name: "cannot fit when needed content fills the quota", entries: [("a", 60, 1), ("b", 30, 2)], needed: ["a", "b"], quota: 100, incoming: 20, expected: .cannotFit(10)),
        Case(name: "cannot fit evicts nothing even if some is unneeded", entries: [("a", 80, 1), ("b", 10, 2)], needed: ["a"], quota: 100, incoming: 30, expected: .cannotFit(10)),
        Case(name: "incoming larger than the quota", entries: [], needed: [], quota: 100, incoming: 101, expected: .cannotFit(1)),
        Case(name: "ties broken by address", entries: [("x", 50, 5), ("y", 50, 5)], needed: [], quota: 100, incoming: 1, expected: .evict([min("x", "y")])),
        Case(name: "empty cache, zero quota, empty file", entries: [], needed: [], quota: 0, incoming: 0, expected: .evict([])),
        Case(name: "already over quota evicts down to fit", entries: [("a", 80, 1), ("b", 80, 2), ("c", 10, 3)], needed: ["c"], quota: 100, incoming: 5, expected: .evict(["a"])),
        Case(name: "over quota, needed content is kept while the rest goes", entries: [("a", 80, 1), ("b", 80, 2), ("c", 10, 3)], needed: ["a"], quota: 100, incoming: 5, expected: .evict(["b"])),
    ]

    @Test(arguments: cases)
    func plan(_ testCase: Case) {
        let plan = EvictionPlanner.plan(
            entries: Self.entries(testCase.entries),
            needed: Set(testCase.needed.map(Self.address)),
            quota: testCase.quota,
            incomingSize: testCase.incoming
        )
        switch testCase.expected {
        case .evict(let names):
            if testCase.name == "ties broken by address" {
                let first = [Self.address("x"), Self.address("y")].min()!
                #expect(plan == .evict([first]))
            } else {
                #expect(plan == .evict(names.map(Self.address)))
            }
        case .cannotFit(let missing):
            #expect(plan == .cannotFit(missingBytes: missing))
        }
    }

    @Test("never evicts needed content (randomised)", arguments: 0 ..< 50)
    func neverEvictsNeeded(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let entries = (0 ..< 12).map { index in
            CacheEntry(address: Self.address("e\(index)"), size: UInt64.random(in: 1 ... 50, using: &random),
                       lastUsed: Date(timeIntervalSince1970: Double.random(in: 0 ... 100, using: &random)))
        }
        let needed = Set(entries.filter { _ in Bool.random(using: &random) }.map(\.address))
        let quota = UInt64.random(in: 0 ... 600, using: &random)
        let incoming = UInt64.random(in: 0 ... 200, using: &random)
        switch EvictionPlanner.plan(entries: entries, needed: needed, quota: quota, incomingSize: incoming) {
        case .evict(let victims):
            #expect(needed.isDisjoint(with: victims))
            let kept = entries.filter { !victims.contains($0.address) }.reduce(0) { $0 + $1.size }
            #expect(kept + incoming <= quota)
        case .cannotFit(let missing):
            let neededBytes = entries.filter { needed.contains($0.address) }.reduce(0) { $0 + $1.size }
            #expect(neededBytes + incoming == quota + missing)
        }
    }

    @Test("resume decisions", arguments: [
        (UInt64?.none, UInt64(100), ResumeDecision.start),
        (UInt64?.some(0), UInt64(100), .start),
        (UInt64?.some(40), UInt64(100), .resume(from: 40)),
        (UInt64?.some(100), UInt64(100), .verifyNow),
        (UInt64?.some(120), UInt64(100), .discard(partialLength: 120)),
        (UInt64?.none, UInt64(0), .verifyNow),
    ])
    func resume(partial: UInt64?, expected: UInt64, decision: ResumeDecision) {
        #expect(ResumeDecision.decide(partialLength: partial, expectedSize: expected) == decision)
    }
}

/// A small deterministic generator (SplitMix64) so randomised tests repeat.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    /// From a raw state: the plain SplitMix64 sequence of `state`.
    init(state: UInt64) { self.state = state }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
