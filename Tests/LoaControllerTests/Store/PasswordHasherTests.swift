import Testing
@testable import LoaController

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher.fastForTests

    @Test func verifiesTheRightPasswordAndRefusesOthers() throws {
        let stored = try hasher.hash("correct horse")
        #expect(stored.hasPrefix("$scrypt$ln=4,r=8,p=1$"))
        #expect(hasher.verify("correct horse", against: stored))
        #expect(!hasher.verify("correct hors", against: stored))
        #expect(!hasher.verify("", against: stored))
        #expect(!hasher.verify("correct horse", against: "$scrypt$garbage"))
    }

    @Test func eachHashHasItsOwnSalt() throws {
        #expect(try hasher.hash("same") != hasher.hash("same"))
    }

    @Test func oldParametersStillVerifyAndAskForARehash() throws {
        let old = try hasher.hash("correct horse")
        let stronger = PasswordHasher(logRounds: 6, blockSize: 8, parallelism: 1)
        #expect(stronger.verify("correct horse", against: old))
        #expect(stronger.needsRehash(old))
        #expect(!stronger.needsRehash(try stronger.hash("x")))
    }
}
