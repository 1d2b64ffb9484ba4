import Testing
@testable import LoaProtocol
@Test func placeholderLoaProtocol() {}
